import Link from 'next/link';

export default function Forbidden() {
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <h1 className="mb-2 text-xl font-semibold">Not allowed</h1>
      <p className="text-sm text-slate-600">
        Your role does not include this page. Ask an admin of this dashboard if you need it.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm text-blue-700 underline">
        Back to the fleet
      </Link>
    </div>
  );
}
