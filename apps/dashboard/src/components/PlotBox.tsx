'use client';
/**
 * Hosts one Observable Plot figure. Plot builds an SVG element from data; React only owns the container, and the
 * figure is rebuilt when its inputs change. SVG output is what makes the SVG/PNG export exact.
 */
import { useEffect, useRef } from 'react';
import { PlotExport } from './ExportButtons';

export function PlotBox({
  build,
  name,
  title,
  deps,
}: {
  build: () => Element;
  name: string;
  title: string;
  deps: readonly unknown[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = build();
    ref.current?.replaceChildren(el);
    return () => el.remove();
  }, deps);
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3" data-plot={name}>
      <figcaption className="mb-2 flex items-center justify-between text-sm font-medium text-slate-700">
        <span>{title}</span>
        <PlotExport target={ref} name={name} />
      </figcaption>
      <div ref={ref} className="overflow-x-auto" />
    </figure>
  );
}
