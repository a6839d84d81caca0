export const PROCESS_SUMMARY =
  'process one spectrum (¹H, ¹³C, … 1D; HSQC, HMBC, COSY 2D) and pick its peaks; print or write lapis-spectrum/1';

export const PROCESS_HELP = `lapis process — process one 1D or 2D spectrum acquisition and pick its peaks

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

A 2D ser (HSQC, HMBC, COSY, …: acqu2s with TD > 1 and no relaxation or diffusion list) is processed in both
dimensions with the folder's procs and proc2s (SI, windows WDW/SSB/LB, F1 linear prediction ME_mod/NCOEF/LPBIN,
FCOR; defaults sine bell squared, or an unshifted sine for QF): F2 with the digital filter's delay removed, F1 by
its acquisition mode (acqu2s FnMODE, else proc2s MC2: QF in magnitude; QSEQ, TPPI, States, States-TPPI,
echo-antiecho phase-sensitive, phased automatically in both dimensions), row and column medians as the baseline.
Peaks: local maxima at S/N ≥ 8 (default), each with its F1 and F2 shift, height (signed), widths in both dimensions
and volume. Non-uniformly sampled data (a nuslist, FnTYPE 2) are first reconstructed by iterative soft thresholding
(IST, with a virtual echo when proc2s gives the F1 phase; docs/nus.md). The document holds the whole matrix (large: 1024 × 1024
points are ≈ 10 MB of JSON).

Options:
  --min-snr X      least peak height over the noise σ (default 5; 2D: 8)
  --lb HZ          exponential line broadening in Hz (default: procs LB, else 0.3; 1D only)
  --denoise M      add the spectrum denoised for display (1D): wavelet (starlet, keeps integrals) or network
                   (models/lapis-denoise1d, a 1D U-Net trained on simulated spectra); peaks and integrals are
                   always those of the spectrum itself
  --picker P       1D peak picker: classical (default) or network (models/lapis-pick1d, a 1D U-Net trained on
                   simulated spectra; its lines are fitted back and the classical answer kept wherever theirs
                   explains the spectrum worse)
  --nus M          NUS reconstruction: ist (default) or network (models/lapis-nus1d, a learned IST trained on
                   simulated t1 signals; phase-sensitive data with the F1 phase in proc2s, IST otherwise)
  --out FILE       write the lapis-spectrum/1 document (JSON, the whole spectrum) to FILE
  --json           print the document on stdout instead of the table
  -h, --help       this help

Exit status: 0 done; 2 bad input (one line on stderr says what; nothing is written); 1 unexpected failure.

Examples:
  lapis process data/aspirin/1
  lapis process /opt/topspin/data/nmr/sample/10 --out sample-10.json
  lapis process data/strychnine/10 --min-snr 3 --json > peaks.json
  lapis process data/aspirin/1 --denoise wavelet --out aspirin.json
  lapis process data/cyclosporin_hsqc/3 --out hsqc.json
`;
