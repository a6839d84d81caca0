import { displayText } from '../../lib/displayText';
import { formatUtc } from '../../lib/time';
import { requireUser } from '../../server/auth/pageGuard';
import { ROLES } from '../../server/auth/roles';
import { api } from '../../trpc/server';
import { addUser, removeUser, setRole } from './actions';

export const dynamic = 'force-dynamic';

const input = 'rounded border border-slate-300 px-2 py-1 text-sm';

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const me = await requireUser('admin');
  const sp = await searchParams;
  const caller = await api();
  const [users, entries] = await Promise.all([caller.admin.users(), caller.admin.audit({ limit: 200 })]);
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Admin</h1>
      {sp.error ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          Not changed: {displayText(sp.error)}
        </p>
      ) : null}

      <section className="space-y-3">
        <h2 className="text-lg font-semibold">People</h2>
        <p className="text-sm text-slate-600">
          Viewers read everything; managers also reprocess, name populations and acknowledge alerts; admins also manage
          people and read the audit log. People who sign in by single sign-on appear here after their first sign-in.
        </p>
        <table className="w-full rounded border border-slate-200 bg-white text-sm" data-users>
          <thead className="bg-slate-50 text-left text-slate-500">
            <tr>
              <th className="px-3 py-2">E-mail</th>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Role</th>
              <th className="px-3 py-2">Since</th>
              <th className="px-3 py-2" />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100" data-user={u.email}>
                <td className="px-3 py-2">{displayText(u.email)}</td>
                <td className="px-3 py-2">{displayText(u.name)}</td>
                <td className="px-3 py-2">
                  <form action={setRole} className="flex items-center gap-1">
                    <input type="hidden" name="userId" value={u.id} />
                    <select name="role" defaultValue={u.role} aria-label={`role of ${u.email}`} className={input}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                    <button className="rounded bg-slate-700 px-2 py-1 text-xs text-white">Set</button>
                  </form>
                </td>
                <td className="px-3 py-2 tabular-nums">{formatUtc(u.createdAt)}</td>
                <td className="px-3 py-2">
                  {u.id !== me.id ? (
                    <form action={removeUser}>
                      <input type="hidden" name="userId" value={u.id} />
                      <button className="text-xs text-red-700 underline">remove</button>
                    </form>
                  ) : (
                    <span className="text-xs text-slate-400">you</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form action={addUser} className="flex flex-wrap items-end gap-2 text-sm" data-add-user>
          <label className="flex flex-col">
            E-mail
            <input name="email" type="email" required className={input} />
          </label>
          <label className="flex flex-col">
            Name
            <input name="name" className={input} />
          </label>
          <label className="flex flex-col">
            Role
            <select name="role" defaultValue="viewer" className={input}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col">
            First password (10+ characters)
            <input
              name="password"
              type="password"
              minLength={10}
              required
              autoComplete="new-password"
              className={input}
            />
          </label>
          <button className="rounded bg-slate-900 px-3 py-1.5 text-white">Add</button>
        </form>
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Audit log</h2>
        <p className="text-sm text-slate-600">
          Sign-ins, reprocess requests, alert acknowledgements and changes, newest first (the last 200). Entries cannot
          be changed or removed.
        </p>
        <table className="w-full rounded border border-slate-200 bg-white text-sm" data-audit>
          <thead className="bg-slate-50 text-left text-slate-500">
            <tr>
              <th className="px-3 py-2">When (UTC)</th>
              <th className="px-3 py-2">Who</th>
              <th className="px-3 py-2">What</th>
              <th className="px-3 py-2">On</th>
              <th className="px-3 py-2">Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-t border-slate-100" data-audit-action={e.action}>
                <td className="px-3 py-1.5 tabular-nums">{formatUtc(e.at)}</td>
                <td className="px-3 py-1.5">{displayText(e.actorEmail ?? 'system')}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{e.action}</td>
                <td className="px-3 py-1.5">{displayText(e.target ?? '')}</td>
                <td className="px-3 py-1.5 font-mono text-xs text-slate-500">
                  {e.detail ? displayText(JSON.stringify(e.detail).slice(0, 200)) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
