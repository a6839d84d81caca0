export const INVERT_SUMMARY = 'invert one acquisition (1D or 2D) and print or write a lapis-result/1 document';

export const INVERT_HELP = `lapis invert — inverse Laplace transform of one T1, T2, D, T1–T2, D–T2 or T2–T2 acquisition

Usage: lapis invert PATH [options]

PATH is one of
  a lapis-acquisition/1 directory (acquisition.json + its data file), or its acquisition.json;
  a Bruker TopSpin experiment folder (acqus + ser, or its acqus/ser file) holding a relaxation or diffusion
    pseudo-2D (t1ir, satrec, cpmg, stebpgp/ledbpgp …; one FID per delay or gradient): the spectra are processed,
    each signal region's decay is inverted in 1D on one common grid, and the result is a chemical shift × T1/T2/D
    map (first axis 'shift', ppm; each peak at { shift, T1|T2|D });
  a Magritek Prospa .1d file (kernel --kernel1, default T2; x unit --unit1, default ms);
  a text-matrix data file, with its axis files and kernels given by --axis1/--kernel1 (and --axis2/--kernel2 for 2D).

Options:
  --method M       auto (default), tikhonov, upen, sparse, nnls or dl. auto picks one and says why: upen for 1D
                   and for 2D data at SNR ≥ 200 (it keeps close populations apart), tikhonov below. dl refines
                   the Tikhonov map of a T1–T2 or D–T2 acquisition with the released network (models/; ONNX
                   Runtime, GPU when present) and keeps it only if it fits the data about as well (χ² at most 10 %
                   above); otherwise the classical result is written and the fallback is stated.
  --model FILE     with --method dl: the manifest (lapis-model/1 JSON) of another model; its sha256 is checked
  --grid N         output grid points per dimension (default: 128 for 1D, 64 for 2D; 8–512)
  --range1 LO:HI   output range of the first dimension (down the data rows), SI units: s for T1/T2, m²/s for D;
                   a bound may carry a unit: 100us:10s, 1ms:3s, 1e-12:1e-8m2/s, 1e-6:1e-2mm2/s.
                   Default: from the acquisition. A range must be physical (T 10 ns–1e5 s, D 1e-18–1e-4 m²/s)
                   and reach within three decades of what the acquisition samples.
  --range2 LO:HI   output range of the second dimension (2D)
  --uncertainty N  draws of the parametric bootstrap behind each peak's ± (default 16 for tikhonov, upen and dl,
                   which redraw in milliseconds; 0 for sparse and nnls, which re-run the inversion per draw — their
                   progress goes to stderr; 0: none; at most 200)
  --sigma S        noise standard deviation of the data if known, data units (default: estimated; at least 1e-10
                   of the data's largest value)
  --region LO:HI   TopSpin pseudo-2D: invert only the regions whose peak lies in LO:HI ppm (e.g. 3.2:3.5;
                   --region=-0.5:0.5 for a negative bound). Fractions are then shares of those regions' signal.
  --out FILE       write the result document (JSON, lapis-result/1) to FILE, atomically
  --json           print the result document on stdout instead of the table
  -h, --help       show this help

Text matrix (plain files as older inversion programs use; one number per line or one row for axis files):
  --axis1 FILE     axis values of dimension 1 (rows of the data)
  --axis2 FILE     axis values of dimension 2 (columns of the data)
  --kernel1 K      kernel of dimension 1: T1-IR, T1-SR, T2 or D
  --kernel2 K      kernel of dimension 2 (T2 for T1–T2, D–T2 and T2–T2)
  --unit1 U        unit of the --axis1 values: s (default for times), ms, µs/us, min; s/m² (default for D,
                   also s/m^2, s/m2, s m-2), s/mm², s/cm²
  --unit2 U        unit of the --axis2 values

Output: without --out (and without --json) a table of the peaks — position per axis in readable units, T1/T2 ratio
for T1–T2 maps, fraction of the signal — then the method and why, the regularisation α, the residual and the time.
A pseudo-2D lists each peak as "3.35 ppm   D 2.10e-9 m²/s   fraction 0.42" (fraction of the signal of all regions)
and then each region's ppm range and fit.

Exit status: 0 done (result written); 2 bad input, with one line on stderr saying which file and what is wrong,
and nothing written; 1 unexpected failure.

Examples:
  lapis invert ./cement-day3                             # lapis-acquisition/1 directory, peak table
  lapis invert ./cement-day3 --out day3.json              # write the result document
  lapis invert ./t1t2 --method upen --grid 96 --range1 1ms:10s --json
  lapis invert ~/data/menthol/12                          # TopSpin T1 inversion-recovery pseudo-2D
  lapis invert ~/data/dosy/3 --region 3.2:3.5 --json      # one region of a diffusion series
  lapis invert echo-train.1d --kernel1 T2 --unit1 us      # Prospa file
  lapis invert cpmg.txt --axis1 echo-times.txt --kernel1 T2 --unit1 ms
  lapis invert map.txt --axis1 tau.txt --kernel1 T1-IR --axis2 te.txt --kernel2 T2 --out map.json
`;
