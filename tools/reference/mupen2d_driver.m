% mupen2d_driver — runs MUPen2D (Bortolotti, Brizi, Landi, Nagmutdinova, Zama, SoftwareX 2022; locally adapted
% multi-penalty UPEN + L1, "MUpen2DTool") on a lapis-acquisition/1 case, for the side-by-side benchmark, under GNU Octave.
%
% MUPen2D is not part of Lapis and is not vendored: pass the directory of a local copy of its code
% (github.com/ElsevierSoftwareX/SOFTX-D-22-00071, see tools/reference/README.md). Needs Octave ≥ 7 (jsondecode)
% and the Octave `image` package (MUPen2D calls ordfilt2).
%
% What is run: their MUpen2D() function — the one their GUI-less main.m calls — with their own parameter file
% for the experiment (DATA/T1-T2_synth_2pks/FilePar.par for T1–T2 and T2–T2, DATA/D-T2/FilePar.par for D–T2,
% read by their SetPar), their default flags (LoadFlags defaults) except FL_Debug = 0 and FL_Verbose = 0 (debug
% mode opens plot windows), and the output grid given here (FL_InversionTimeLimits = 0, T1min…T2max = the ranges,
% nx = ny = n). UPEN chooses its own local regularisation, so nothing is tuned per case.
%
% Timing: wall time of the MUpen2D() call (their SVD projection, initial projected gradient, UPEN/FISTA loop, and
% the few result files MUpen2D always writes into a scratch folder — the time for those writes is measured
% separately and reported as `writeMs`, and subtracted from `elapsedMs`). Reading the case is outside it.
%
% Usage (octave-cli):
%   mupen2d_driver(mupenDir, caseDir, r1min, r1max, r2min, r2max, n, outFile [, parFile])
function mupen2d_driver(mupenDir, caseDir, r1min, r1max, r2min, r2max, n, outFile, parFileOverride)
  if nargin < 8
    error('mupen2d_driver: usage mupen2d_driver(mupenDir, caseDir, r1min, r1max, r2min, r2max, n, outFile [, parFile])');
  end
  if ~exist(fullfile(mupenDir, 'MUpen2D.m'), 'file')
    error('mupen2d_driver: %s has no MUpen2D.m', mupenDir);
  end
  addpath(mupenDir);
  pkg load image;
  warning('off', 'all');  % `inline` is obsolete in Octave 7 and warns on every kernel

  [kernels, tau1, tau2, S] = read_case(caseDir);
  switch [kernels{1} '|' kernels{2}]
    case 'T1-IR|T2', typeKernel = 1; example = 'T1-T2_synth_2pks';
    case 'T1-SR|T2', typeKernel = 2; example = 'T1-T2_synth_2pks';
    case 'D|T2',     typeKernel = 3; example = 'D-T2';
    case 'T2|T2',    typeKernel = 4; example = 'T1-T2_synth_2pks';
    otherwise
      error('mupen2d_driver: MUPen2D has no kernel for %s × %s', kernels{1}, kernels{2});
  end
  if nargin >= 9 && ~isempty(parFileOverride)
    parPath = parFileOverride;
  else
    parPath = fullfile(mupenDir, 'DATA', example, 'FilePar.par');
  end

  parFL = LoadFlags('', 1);
  parFL.FL_typeKernel = typeKernel;
  parFL.FL_InversionTimeLimits = 0;
  parFL.FL_OutputData = 0;
  parFL.FL_Debug = 0;
  parFL.FL_Verbose = 0;

  parFile = struct();
  parFile.nx = n;  % rows of the map: the first (T1 or D) axis
  parFile.ny = n;  % columns: T2
  parFile.T1min = r1min; parFile.T1max = r1max;
  parFile.T2min = r2min; parFile.T2max = r2max;

  par = SetPar(parPath, S, eye(size(S, 2)), struct(), 0);
  par.Verbose = 0;
  par.Debug = 0;
  par.Kernel = typeKernel;
  par.Amp_scale = parFL.FL_Amp_scale;
  par.scale_fact = parFL.FL_Scale_fact;

  scratch = [tempname() filesep];
  mkdir(scratch);
  confirm_recursive_rmdir(false);
  cleanup = onCleanup(@() rmdir(scratch, 's'));

  % MUpen2D prints where it wrote its files; keep stdout for that and the JSON goes to outFile.
  c0 = cputime();
  t0 = tic();
  [x, T1, T2, hist] = MUpen2D('lapis/', scratch, scratch, par, parFile, parFL, '', size(tau1), size(tau2), tau1, tau2, S);
  wallMs = toc(t0) * 1000;
  cpuMs = (cputime() - c0) * 1000;

  % The same writes MUpen2D did, timed alone, so that elapsedMs is the inversion only.
  t1 = tic();
  dlmwrite([scratch 'w1.txt'], x, 'delimiter', '\t', 'precision', '%0.13e', 'newline', 'pc');
  dlmwrite([scratch 'w2.txt'], hist.res_vec, 'delimiter', '\t', 'precision', '%0.13e', 'newline', 'pc');
  writeMs = toc(t1) * 1000;

  result = struct();
  result.tool = 'mupen2d';
  result.version = 'MUpen2D.m 3.0 [03/02/2022]';
  result.commit = read_commit(mupenDir);
  result.elapsedMs = max(wallMs - writeMs, 0);
  result.wallMs = wallMs;
  result.cpuMs = cpuMs;  % process CPU time of the call (all threads), for runs on a shared machine
  result.writeMs = writeMs;
  result.internalFistaMs = sum(hist.tempi) * 1000;
  result.grid1 = T1(:)';
  result.grid2 = T2(:)';
  result.distribution = x;
  result.upenIterations = numel(hist.it_int);
  result.fistaIterations = sum(hist.it_int);
  result.projectedGradientIterations = hist.it_cg;
  result.relativeResidual = norm(hist.res_vec, 'fro') / norm(S, 'fro');
  result.settings = struct('parameterFile', parPath, 'typeKernel', typeKernel, 'svdThreshold', par.svd.soglia, ...
                           'upenTol', par.upen.tol, 'upenBeta0', par.upen.beta0, 'upenBetaP', par.upen.beta_p, ...
                           'upenBetaC', par.upen.beta_c, 'fistaTol', par.fista.tol, ...
                           'fistaMaxiter', par.fista.maxiter, 'fistaWeight', par.fista.weight, ...
                           'gpnrTol', par.gpnr.tol, 'gpnrMaxiter', par.gpnr.maxiter);
  result.octave = OCTAVE_VERSION;
  fid = fopen(outFile, 'w');
  if fid < 0
    error('mupen2d_driver: cannot write %s', outFile);
  end
  fputs(fid, to_json(result));
  fclose(fid);
end

function [kernels, tau1, tau2, S] = read_case(caseDir)
  meta = jsondecode(fileread(fullfile(caseDir, 'acquisition.json')));
  if ~isfield(meta, 'format') || ~strcmp(meta.format, 'lapis-acquisition/1')
    error('mupen2d_driver: %s is not a lapis-acquisition/1 directory', caseDir);
  end
  axes = meta.axes;
  if ~iscell(axes)
    axes = num2cell(axes);  % jsondecode gives a struct array when both axes have the same fields, else a cell
  end
  if numel(axes) ~= 2
    error('mupen2d_driver: %s has %d axes; MUPen2D inverts 2D sets only', caseDir, numel(axes));
  end
  kernels = {axes{1}.kernel, axes{2}.kernel};
  for k = 1:2
    if isfield(axes{k}, 'beta') && axes{k}.beta ~= 1
      error('mupen2d_driver: MUPen2D has no inversion-efficiency factor; axis %d has beta = %g', k, axes{k}.beta);
    end
  end
  tau1 = axes{1}.values(:);
  tau2 = axes{2}.values(:);
  dataName = 'data.txt';
  if isfield(meta, 'data')
    dataName = meta.data;
  end
  lines = strsplit(fileread(fullfile(caseDir, dataName)), {"\n", "\r"});
  keep = ~cellfun(@(l) isempty(strtrim(l)) || strncmp(strtrim(l), '#', 1), lines);
  values = sscanf(strrep(strjoin(lines(keep), ' '), ',', ' '), '%f');
  m1 = numel(tau1); m2 = numel(tau2);
  if numel(values) ~= m1 * m2
    error('mupen2d_driver: %s holds %d numbers, the axes need %d×%d', dataName, numel(values), m1, m2);
  end
  S = reshape(values, m2, m1)';
end

function c = read_commit(dir)
  c = [];
  f = fullfile(dir, 'COMMIT');
  if exist(f, 'file')
    c = strtrim(fileread(f));
  end
end

% Octave 7's jsonencode prints numbers in fixed notation with 6 decimals (1e-16 becomes 0), so write JSON here.
function s = to_json(v)
  if ischar(v)
    s = ['"' strrep(strrep(v, '\', '\\'), '"', '\"') '"'];
  elseif isstruct(v)
    names = fieldnames(v);
    parts = cell(1, numel(names));
    for i = 1:numel(names)
      parts{i} = [to_json(names{i}) ':' to_json(v.(names{i}))];
    end
    s = ['{' strjoin(parts, ',') '}'];
  elseif isempty(v)
    s = 'null';
  elseif isscalar(v)
    s = num_json(v);
  elseif isvector(v)
    s = ['[' strjoin(arrayfun(@num_json, v(:)', 'UniformOutput', false), ',') ']'];
  else
    rows = cell(1, size(v, 1));
    for i = 1:size(v, 1)
      rows{i} = to_json(v(i, :));
    end
    s = ['[' strjoin(rows, ',') ']'];
  end
end

function s = num_json(x)
  if islogical(x)
    x = double(x);
  end
  if ~isfinite(x)
    s = 'null';
  else
    s = sprintf('%.17g', x);
  end
end
