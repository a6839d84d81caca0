// Acquisition: the map, its projections (optionally overlaid with another result), peaks, fit and provenance.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DecayPlot } from '../../../components/DecayPlot';
import { DosyView } from '../../../components/DosyView';
import { LiveRefresh } from '../../../components/LiveRefresh';
import { MarginalPlot } from '../../../components/MarginalPlot';
import { PeakTable } from '../../../components/PeakTable';
import { VendorComparison } from '../../../components/VendorComparison';
import { RelaxationMap } from '../../../components/RelaxationMap';
import { formatUtc } from '../../../lib/time';
import { displayText } from '../../../lib/displayText';
import { api } from '../../../trpc/server';

export const dynamic = 'force-dynamic';

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
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { key } = await params;
  const { compare } = await searchParams;
  const caller = await api();
  const a = await caller.acquisition.get({ key }).catch(() => null);
  if (!a) notFound();
  const other = compare && compare !== key ? await caller.acquisition.get({ key: compare }).catch(() => null) : null;
  const siblings = await caller.instrument.acquisitions({ id: a.instrumentId, limit: 30 });
  const doc = a.document;
  const label = `${displayText(a.sample, a.key.slice(0, 8))} · ${formatUtc(a.producedAt)}`;
  const otherLabel = other
    ? `${displayText(other.sample, other.key.slice(0, 8))} · ${formatUtc(other.producedAt)}`
    : '';
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
            compare={other ? { doc: other.document, label: otherLabel } : undefined}
          />
        ) : null}
        <div className="space-y-4">
          {a.marginals.map((m, i) =>
            // a pseudo-2D's shift "distribution" is one value per region: the spectrum above says it better
            pseudo2d && m.axis === 'shift' ? null : (
              <MarginalPlot
                key={m.axis}
                axis={m.axis}
                name={a.key.slice(0, 12)}
                series={[
                  { label, values: m.values, amplitude: m.amplitude },
                  ...(other?.marginals[i] && other.marginals[i]!.axis === m.axis
                    ? [
                        {
                          label: otherLabel,
                          values: other.marginals[i]!.values,
                          amplitude: other.marginals[i]!.amplitude,
                        },
                      ]
                    : []),
                ]}
              />
            ),
          )}
          <form method="get" className="flex items-end gap-2 text-sm">
            <label className="flex flex-col">
              <span className="text-xs text-slate-500">Overlay another acquisition</span>
              <select
                name="compare"
                defaultValue={other?.key ?? ''}
                className="rounded border border-slate-300 bg-white px-2 py-1"
              >
                <option value="">none</option>
                {siblings
                  .filter((s) => s.key !== a.key)
                  .map((s) => (
                    <option key={s.key} value={s.key}>
                      {displayText(s.sample, s.key.slice(0, 8))} · {formatUtc(s.producedAt)}
                    </option>
                  ))}
              </select>
            </label>
            <button className="rounded bg-slate-800 px-3 py-1 text-white">Overlay</button>
          </form>
        </div>
      </div>
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
