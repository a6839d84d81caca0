// Acquisition: the map, its projections (optionally overlaid with another result), peaks, fit and provenance.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DecayPlot } from '../../../components/DecayPlot';
import { DifferenceMap } from '../../../components/DifferenceMap';
import { DosyView } from '../../../components/DosyView';
import { LiveRefresh } from '../../../components/LiveRefresh';
import { MarginalPlot } from '../../../components/MarginalPlot';
import { PeakTable } from '../../../components/PeakTable';
import { VendorComparison } from '../../../components/VendorComparison';
import { RelaxationMap } from '../../../components/RelaxationMap';
import { formatUtc } from '../../../lib/time';
import { displayText } from '../../../lib/displayText';
import { api } from '../../../trpc/server';
import { requireUser } from '../../../server/auth/pageGuard';
import { roleAtLeast } from '../../../server/auth/roles';
import { ReprocessForm, ReprocessNotice } from '../../../components/ReprocessForm';
import { reprocessKeys } from '../../reprocessActions';

export const dynamic = 'force-dynamic';

/** Results compared with one on its page at most. */
const MAX_COMPARED = 4;

function Row({ k, v }: { k: string; v: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{k}</dt>
      <dd className="break-all font-mono text-xs leading-5">{v ?? '–'}</dd>
    </>
  );
}

export default async function AcquisitionPage({
  params,
  searchParams,
}: {
  params: Promise<{ key: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { key } = await params;
  const sp = await searchParams;
  // ?compare=KEY (repeated, or comma-separated): up to MAX_COMPARED other results, any instrument
  const compareKeys = [
    ...new Set(
      [sp.compare ?? []]
        .flat()
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((k) => /^[0-9a-f]{64}$/.test(k) && k !== key),
    ),
  ].slice(0, MAX_COMPARED);
  const normalise = sp.norm !== 'off';
  const caller = await api();
  const a = await caller.acquisition.get({ key }).catch(() => null);
  if (!a) notFound();
  const others = (
    await Promise.all(compareKeys.map((k) => caller.acquisition.get({ key: k }).catch(() => null)))
  ).filter((o) => o !== null);
  const [siblings, versions] = await Promise.all([
    caller.instrument.acquisitions({ id: a.instrumentId, limit: 30 }),
    caller.acquisition.versions({ key }),
  ]);
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const doc = a.document;
  const labelOf = (x: { sample: string | null; key: string; producedAt: Date }) =>
    `${displayText(x.sample, x.key.slice(0, 8))} · ${formatUtc(x.producedAt)}`;
  const label = labelOf(a);
  const pseudo2d = doc.axes[0]?.name === 'shift' && doc.axes.length === 2;
  const fit = doc.fit;
  const white = fit.residualWhiteness;
  return (
    <div className="space-y-4">
      <div className="flex items-end justify-between">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/" className="hover:underline">
              Fleet
            </Link>{' '}
            /{' '}
            <Link href={`/instruments/${encodeURIComponent(a.instrumentId)}`} className="hover:underline">
              {displayText(a.instrumentId)}
            </Link>{' '}
            /
          </p>
          <h1 className="text-2xl font-bold" data-testid="acquisition-title">
            {displayText(a.sample, 'acquisition')}{' '}
            <span className="text-base font-normal text-slate-500">{a.experiment}</span>
          </h1>
          <p className="text-sm text-slate-600">
            produced {formatUtc(a.producedAt)} · {displayText(doc.method)}
            {doc.alpha != null ? ` · α ${doc.alpha.toPrecision(3)} (${doc.alphaRule ?? 'given'})` : ''} · residual{' '}
            {(fit.relativeResidual * 100).toFixed(2)} %{fit.chi2 != null ? ` · χ² ${fit.chi2.toFixed(2)}` : ''}
            {white ? ` · residual ${white.white ? 'white' : 'structured'}` : ''}
            {a.historical ? ' · replayed from the outbox' : ''}
          </p>
        </div>
        <LiveRefresh acquisitionKey={a.key} />
      </div>
      <ReprocessNotice sent={one(sp.reprocess)} error={one(sp.reprocessError)} />
      {versions.length > 1 || a.requestedBy ? (
        <div className="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-versions>
          <p className="mb-1 font-medium">Versions of this acquisition ({versions.length})</p>
          <table className="w-full">
            <tbody>
              {versions.map((v) => (
                <tr key={v.key} data-version={v.key} className="border-t border-slate-100">
                  <td className="py-1 pr-3 tabular-nums">{formatUtc(v.producedAt)}</td>
                  <td className="py-1 pr-3">{displayText(v.method)}</td>
                  <td className="py-1 pr-3 text-slate-600">
                    {v.requestedBy
                      ? `reprocessed for ${displayText(v.requestedBy)}`
                      : v.reprocessed
                        ? 'reprocessed'
                        : 'as acquired'}
                  </td>
                  <td className="py-1 pr-3 tabular-nums">{v.peakCount} peaks</td>
                  <td className="py-1">
                    {v.key === a.key ? (
                      <span className="text-slate-400">this one</span>
                    ) : (
                      <span className="space-x-2">
                        <Link href={`/acquisitions/${v.key}`} className="text-blue-700 underline">
                          open
                        </Link>
                        <Link href={`/acquisitions/${a.key}?compare=${v.key}`} className="text-blue-700 underline">
                          compare
                        </Link>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {roleAtLeast(user.role, 'manager') ? (
        <ReprocessForm action={reprocessKeys} label="Reprocess">
          <input type="hidden" name="key" value={a.key} />
          <input type="hidden" name="back" value={`/acquisitions/${a.key}`} />
        </ReprocessForm>
      ) : null}
      {a.reduced ? (
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Reduced by the agent to fit MQTT: {displayText(a.reduced.reason)} ({a.reduced.from.join('×')} →{' '}
          {a.reduced.to.join('×')}).
        </p>
      ) : null}
      {doc.warnings && doc.warnings.length > 0 ? (
        <ul className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          {doc.warnings.map((w) => (
            <li key={w}>{displayText(w, '', 1000)}</li>
          ))}
        </ul>
      ) : null}
      {pseudo2d ? <DosyView doc={doc} name={a.key.slice(0, 12)} /> : null}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,600px)_1fr]">
        {doc.axes.length === 2 && !pseudo2d ? (
          <RelaxationMap
            doc={doc}
            name={a.key.slice(0, 12)}
            compare={others.map((o) => ({ doc: o.document, label: labelOf(o) }))}
          />
        ) : null}
        <div className="space-y-4">
          {a.marginals.map((m) =>
            // a pseudo-2D's shift "distribution" is one value per region: the spectrum above says it better
            pseudo2d && m.axis === 'shift' ? null : (
              <MarginalPlot
                key={m.axis}
                axis={m.axis}
                name={a.key.slice(0, 12)}
                normalise={normalise && others.length > 0}
                series={[
                  { label, values: m.values, amplitude: m.amplitude },
                  ...others.flatMap((o) => {
                    const om = o.marginals.find((x) => x.axis === m.axis);
                    return om ? [{ label: labelOf(o), values: om.values, amplitude: om.amplitude }] : [];
                  }),
                ]}
              />
            ),
          )}
          <form method="get" className="flex flex-wrap items-end gap-2 text-sm" data-testid="compare-form">
            <label className="flex flex-col">
              <span className="text-xs text-slate-500">
                Compare with (up to {MAX_COMPARED}; Ctrl-click for several)
              </span>
              <select
                name="compare"
                multiple
                size={5}
                defaultValue={others.filter((o) => siblings.some((s) => s.key === o.key)).map((o) => o.key)}
                className="min-w-72 rounded border border-slate-300 bg-white px-2 py-1"
              >
                {siblings
                  .filter((s) => s.key !== a.key)
                  .map((s) => (
                    <option key={s.key} value={s.key}>
                      {displayText(s.sample, s.key.slice(0, 8))} · {formatUtc(s.producedAt)}
                    </option>
                  ))}
              </select>
            </label>
            <div className="flex flex-col gap-2">
              <label className="flex flex-col">
                <span className="text-xs text-slate-500">or result keys of other instruments, comma-separated</span>
                <input
                  name="compare"
                  defaultValue={others
                    .filter((o) => !siblings.some((s) => s.key === o.key))
                    .map((o) => o.key)
                    .join(',')}
                  className="w-72 rounded border border-slate-300 px-2 py-1 font-mono text-xs"
                />
              </label>
              <select
                name="norm"
                aria-label="scale of the compared distributions"
                defaultValue={normalise ? 'area' : 'off'}
                className="rounded border border-slate-300 px-1 py-0.5 text-xs"
              >
                <option value="area">each scaled to unit total</option>
                <option value="off">as measured (data units)</option>
              </select>
            </div>
            <button className="rounded bg-slate-800 px-3 py-1 text-white">Compare</button>
          </form>
        </div>
      </div>
      {others.length > 0 && doc.axes.length === 2 && !pseudo2d ? (
        <div className="grid gap-4 lg:grid-cols-2">
          {others.map((o) => (
            <DifferenceMap
              key={o.key}
              doc={doc}
              other={o.document}
              label={labelOf(o)}
              name={`${a.key.slice(0, 12)}-${o.key.slice(0, 8)}`}
            />
          ))}
        </div>
      ) : null}
      <PeakTable doc={doc} name={a.key.slice(0, 12)} />
      <VendorComparison doc={doc} />
      {a.decays.length > 0 ? (
        <section data-testid="decays" className="space-y-2">
          <h2 className="font-semibold text-slate-800">Measured decays against the fit</h2>
          <div className="grid gap-4 lg:grid-cols-2">
            {a.decays.map((d, i) => (
              <DecayPlot
                key={`${d.axis.name}-${i}`}
                decay={d}
                sigma={doc.sigma}
                name={`${a.key.slice(0, 12)}-decay-${i}`}
              />
            ))}
          </div>
          <p className="text-xs text-slate-500">
            Points: measured; line: the fit the distribution predicts; below: residual (data − fit) with the ±σ noise
            band. {doc.axes.length === 2 ? 'Two slices of the 2D data, those with the most signal. ' : ''}
            Downsampled by the agent (the first points, then log-spaced) to at most 256 points per decay.
          </p>
        </section>
      ) : (
        <p className="text-xs text-slate-500">
          Measured decays are not shown: this result was produced without them (<code>fit.decays</code> of{' '}
          <code>lapis-result/1</code> is optional).
        </p>
      )}
      <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
        <h2 className="mb-2 font-semibold text-slate-800">Provenance</h2>
        <dl className="grid grid-cols-[12rem_1fr] gap-x-4 gap-y-1">
          <Row k="result key" v={a.key} />
          <Row k="raw-data hash" v={a.provenance.rawDataHash} />
          <Row k="software" v={displayText(a.provenance.softwareVersion, '–')} />
          <Row k="pipeline version" v={displayText(a.provenance.pipelineVersion, '–')} />
          <Row k="model" v={displayText(a.provenance.modelId, '— (classical method)')} />
          <Row
            k="method"
            v={displayText(`${a.provenance.method}${doc.methodReason ? ` — ${doc.methodReason}` : ''}`, '', 1000)}
          />
          <Row
            k="regularisation"
            v={
              doc.alpha != null
                ? `α = ${doc.alpha.toPrecision(4)} by ${doc.alphaRule ?? '?'}, ${doc.iterations ?? '?'} iterations`
                : null
            }
          />
          <Row k="noise σ" v={doc.sigma?.toPrecision(3)} />
          <Row k="reader" v={displayText(a.provenance.reader, '–')} />
          <Row k="path" v={displayText(a.path, '', 1000)} />
          <Row k="parameters" v={displayText(JSON.stringify(a.provenance.parameters), '', 2000)} />
          <Row k="received" v={formatUtc(a.receivedAt)} />
        </dl>
      </section>
    </div>
  );
}
