'use client';

import { useEffect } from 'react';

/** Marks the page `data-hydrated` once React has hydrated it, so scripted browsers click only what will answer. */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return null;
}
