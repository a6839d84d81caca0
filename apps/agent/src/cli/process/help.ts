export const PROCESS_SUMMARY =
  'process one spectrum (¹H, ¹³C, … 1D) and pick its peaks; print or write lapis-spectrum/1';

export const PROCESS_HELP = `lapis process — process one 1D spectrum acquisition and pick its peaks

Usage: lapis process PATH [options]

PATH is a Bruker TopSpin experiment folder holding a 1D FID (acqus + fid, e.g. zg30 ¹H or zgpg30 ¹³C), or its
acqus or fid file. The FID is zero-filled (to procs SI when the folder has it), multiplied by an exponential window
(procs LB, else 0.3 Hz), Fourier transformed with the digital filter's delay removed (GRPDLY, or the published table
for DSPFVS 10–13), phased automatically (ACME first order, absorption criterion zero order), baseline corrected (a
straight line through the quiet points, then an asymmetric-least-squares Whittaker baseline) and referenced with
procs SF (acqus BF1 when the data were never processed). Peaks: lines detected in the smoothed spectrum and its
second derivative, fitted in overlapping groups as pseudo-Voigt lines; each with its shift (ppm), height, width
(Hz), integral (spectrum units × Hz) and S/N. When the folder holds TopSpin's own peak list (pdata/1/peaklist.xml),
how many of its peaks Lapis found within 0.005 ppm is printed and stored.

Options:
  --min-snr X      least peak height over the noise σ (default 5)
  --lb HZ          exponential line broadening in Hz (default: procs LB, else 0.3)
  --out FILE       write the lapis-spectrum/1 document (JSON, the whole spectrum) to FILE
  --json           print the document on stdout instead of the table
  -h, --help       this help

Exit status: 0 done; 2 bad input (one line on stderr says what; nothing is written); 1 unexpected failure.

Examples:
  lapis process data/aspirin/1
  lapis process /opt/topspin/data/nmr/sample/10 --out sample-10.json
  lapis process data/strychnine/10 --min-snr 3 --json > peaks.json
`;
