// Spectrum: one processed spectrum to zoom through, its peaks, how it was processed and where it came from.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Spectrum2dView } from '../../../components/Spectrum2dView';
import { SpectrumPeakList } from '../../../components/SpectrumPeakList';
import { SpectrumProcessing } from '../../../components/SpectrumProcessing';
import { SpectrumViewer } from '../../../components/SpectrumViewer';
import { displayText } from '../../../lib/displayText';
import {
  axesOf,
  denoisedOf,
  dimensionsOf,
  nucleusLabel,
  peaksOf,
  spectrum1dOf,
  spectrum2dOf,
} from '../../../lib/spectrumDocument';
import { formatUtc } from '../../../lib/time';
import { requireUser } from '../../../server/auth/pageGuard';
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

export default async function SpectrumPage({ params }: { params: Promise<{ key: string }> }) {
  await requireUser();
  const { key } = await params;
  const caller = await api();
  const s = await caller.spectrum.byKey({ key }).catch(() => null);
  if (!s) notFound();
  const doc = s.document;
  const dimensions = dimensionsOf(doc);
  const axes = axesOf(doc);
  const peaks = peaksOf(doc);
  const one = spectrum1dOf(doc);
  const denoised = denoisedOf(doc);
  const nucleus = nucleusLabel(s.nucleus);
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm text-slate-500">
          <Link href="/" className="hover:underline">
            Fleet
          </Link>{' '}
          /{' '}
          <Link href={`/instruments/${encodeURIComponent(s.instrumentId)}`} className="hover:underline">
            {displayText(s.instrumentId)}
          </Link>{' '}
          / spectra /
        </p>
        <h1 className="text-2xl font-bold" data-testid="spectrum-title">
          {displayText(s.sample, 'spectrum')}{' '}
          <span className="text-base font-normal text-slate-500">
            {[
              nucleus,
              dimensions === 2 ? '2D' : null,
              displayText(s.pulseProgram, '') || null,
              displayText(s.solvent, '') || null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </h1>
        <p className="text-sm text-slate-600">
          produced {formatUtc(s.producedAt)} · {s.peakCount} peaks
          {s.requestedBy ? ` · reprocessed for ${displayText(s.requestedBy)}` : s.reprocessed ? ' · reprocessed' : ''}
          {s.historical ? ' · replayed from the outbox' : ''}
        </p>
      </div>
      {one ? (
        <SpectrumViewer
          first={one.axis.first}
          last={one.axis.last}
          size={one.axis.size}
          step={one.step}
          real={Array.from(one.real)}
          peaks={peaks.flatMap((p) => (p.shift === null ? [] : [p.shift]))}
          nucleus={nucleusLabel(one.axis.nucleus)}
          frequencyMHz={one.axis.frequencyMHz}
          name={s.key.slice(0, 12)}
          spectrumKey={s.key}
          {...(denoised ? { denoised: { real: Array.from(denoised.real), label: denoised.label } } : {})}
        />
      ) : dimensions === 2 && axes[0] && axes[1] ? (
        <Spectrum2dView
          f1={axes[0]}
          f2={axes[1]}
          spectrum={spectrum2dOf(doc)}
          noise={s.noise ?? 0}
          peaks={peaks}
          spectrumKey={s.key}
        />
      ) : (
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          This document carries no spectrum that can be drawn; its peaks and processing are below.
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
        <SpectrumPeakList
          peaks={peaks}
          dimensions={dimensions}
          nuclei={axes.map((a) => nucleusLabel(a.nucleus))}
          name={s.key.slice(0, 12)}
        />
        <SpectrumProcessing doc={doc} />
      </div>
      <section className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
        <h2 className="mb-2 font-semibold text-slate-800">Provenance</h2>
        <dl className="grid grid-cols-[12rem_1fr] gap-x-4 gap-y-1">
          <Row k="spectrum key" v={s.key} />
          <Row k="raw-data hash" v={s.provenance.rawDataHash} />
          <Row k="software" v={displayText(s.provenance.softwareVersion, '–')} />
          <Row k="pipeline version" v={displayText(s.provenance.pipelineVersion, '–')} />
          <Row k="reader" v={displayText(s.provenance.reader, '–')} />
          <Row k="path" v={displayText(s.path, '', 1000)} />
          <Row k="parameters" v={displayText(JSON.stringify(s.provenance.parameters), '', 2000)} />
          <Row k="received" v={formatUtc(s.receivedAt)} />
        </dl>
      </section>
    </div>
  );
}
