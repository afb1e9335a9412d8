#!/usr/bin/env python3
"""Independent PyTorch (float64) reference for issue 20's ops, read by TorchReferenceTest.

For each case: f(x1..xk) (one tensor), a weighting w shaped like f, a direction v (one per input), and
  out  = f(x)
  grad = d/dx_i  sum(w * f(x))                 (reverse mode)
  hvp  = d/dx_i <grad, v>                      (double backward: the Hessian of sum(w*f) times v)
  jvp  = J v                                   (by the double-backward trick: d/du <d/dx <u, f>, v>)
written to src/test/resources/torch-reference/ops.json. Inputs, w and v are written out in full, so the
Java side never regenerates them. Run (torch 1.13):
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 src/test/python/torch_reference.py
The op names and params are dualgrad's (the test maps them to dualgrad calls); the lambdas below are
PyTorch's spelling of the same function, with the convention differences noted where they matter.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20)
CASES = []


def T(a):
    return torch.tensor(np.asarray(a, dtype=np.float64))


def rnd(*shape, scale=1.0):
    return T(rng.standard_normal(shape) * scale)


def enc(t):
    t = t.detach()
    try:
        data = t.reshape(-1).tolist()
    except RuntimeError:  # a lazy zero tensor from a double backward (adding 0 would lose the sign of -0.0 elsewhere)
        data = (torch.zeros(t.shape) + t).reshape(-1).tolist()
    return {"shape": list(t.shape), "data": [float(x) for x in data]}


def case(name, op, fn, inputs, params=None, rtol=None):
    xs = [x.clone().requires_grad_(True) for x in inputs]
    out = fn(*xs)
    w = rnd(*out.shape)
    vs = [rnd(*x.shape) for x in xs]
    if out.requires_grad:
        s = (w * out).sum()
        grads = torch.autograd.grad(s, xs, create_graph=True, allow_unused=True)
        grads = [torch.zeros_like(x) if g is None else g for x, g in zip(xs, grads)]
        inner = sum((g * v).sum() for g, v in zip(grads, vs))
        if inner.requires_grad:
            hv = torch.autograd.grad(inner, xs, retain_graph=True, allow_unused=True)
            hv = [torch.zeros_like(x) if h is None else h for x, h in zip(xs, hv)]
        else:
            hv = [torch.zeros_like(x) for x in xs]
        u = w.clone().requires_grad_(True)  # any u: <u, f> is linear in it (at u = 0 logcumsumexp's backward is NaN)
        gu = torch.autograd.grad(out, xs, u, create_graph=True, allow_unused=True)
        inner_u = sum((g * v).sum() for g, v in zip(gu, vs) if g is not None)
        jv = torch.autograd.grad(inner_u, u, allow_unused=True)[0] if torch.is_tensor(inner_u) and inner_u.requires_grad else None
        jv = torch.zeros_like(out) if jv is None else jv
    else:  # a constant op (floor, ...): every derivative is zero
        grads = [torch.zeros_like(x) for x in xs]
        hv = [torch.zeros_like(x) for x in xs]
        jv = torch.zeros_like(out)
    c = {"name": name, "op": op, "params": params or {}, "inputs": [enc(x) for x in inputs],
         "out": enc(out), "w": enc(w), "v": [enc(v) for v in vs], "grad": [enc(g) for g in grads],
         "hvp": [enc(h) for h in hv], "jvp": enc(jv)}
    if rtol is not None:
        c["rtol"] = rtol
    CASES.append(c)


def unary(op, fn, values, name=None, params=None, rtol=None):
    case(name or op, op, fn, [T(values)], params, rtol)


# ---- elementwise, with values near the ends of each domain, both signs, and large magnitudes
unary("tan", torch.tan, [-1.5, -0.7, 0.0, 0.3, 1.2, 1.5607])
unary("asin", torch.asin, [-0.999999, -0.5, 0.0, 0.25, 0.9999])
unary("acos", torch.acos, [-0.999999, -0.5, 0.0, 0.25, 0.9999])
unary("atan", torch.atan, [-1e150, -3.0, -0.1, 0.0, 0.7, 40.0])
unary("sinh", torch.sinh, [-20.0, -1.0, 0.0, 1e-8, 3.0, 700.0])
unary("cosh", torch.cosh, [-20.0, -1.0, 0.0, 1e-8, 3.0, 700.0])
unary("asinh", torch.asinh, [-1e100, -2.0, 0.0, 1e-8, 3.0, 1e100])  # 1e300 in TorchReferenceTest's conventions
unary("acosh", torch.acosh, [1.000001, 1.5, 3.0, 1e3, 1e100])
unary("atanh", torch.atanh, [-0.99999, -0.3, 0.0, 0.6, 0.999])
unary("expm1", torch.expm1, [-50.0, -1e-10, 0.0, 1e-10, 1.0, 700.0])
unary("log2", torch.log2, [1e-300, 0.5, 1.0, 2.0, 1000.0, 1e300])
unary("log10", torch.log10, [1e-300, 0.5, 1.0, 10.0, 1000.0, 1e300])
unary("erf", torch.special.erf, [-6.0, -1.0, -1e-10, 0.0, 0.5, 2.0, 5.0, 26.0])
unary("erfc", torch.special.erfc, [-6.0, -1.0, -1e-10, 0.0, 0.5, 2.0, 5.0, 26.0])
unary("lgamma", torch.lgamma, [-2.5, -0.5, 1e-8, 0.5, 1.0, 2.0, 3.7, 1e5])
unary("digamma", torch.special.digamma, [-2.5, -0.5, 1e-6, 0.5, 1.0, 7.3, 1e4])
unary("logSigmoid", F.logsigmoid, [-800.0, -40.0, -1.0, 0.0, 2.0, 40.0, 800.0])
unary("gelu", lambda x: F.gelu(x, approximate="none"), [-40.0, -3.0, -0.5, 0.0, 0.7, 3.0, 40.0])
unary("geluTanh", lambda x: F.gelu(x, approximate="tanh"), [-40.0, -3.0, -0.5, 0.0, 0.7, 3.0, 40.0])
unary("silu", F.silu, [-50.0, -1.0, 0.0, 1.0, 50.0])
unary("elu", lambda x: F.elu(x, 1.0), [-30.0, -1.0, -1e-3, 1e-3, 2.0], params={"alpha": 1.0})
unary("elu", lambda x: F.elu(x, 0.7), [-3.0, -0.5, 0.5, 4.0], name="elu_alpha", params={"alpha": 0.7})
unary("leakyRelu", lambda x: F.leaky_relu(x, 0.01), [-3.0, -1e-3, 1e-3, 2.0], params={"slope": 0.01})
unary("leakyRelu", lambda x: F.leaky_relu(x, 0.2), [-3.0, -0.5, 0.5, 4.0], name="leakyRelu_slope", params={"slope": 0.2})
# the kinks: dualgrad documents elu'(0) = alpha and leakyRelu'(0) = slope; PyTorch's rules agree there
unary("elu", lambda x: F.elu(x, 0.7), [0.0, -0.0], name="elu_kink", params={"alpha": 0.7})
unary("leakyRelu", lambda x: F.leaky_relu(x, 0.2), [0.0], name="leakyRelu_kink", params={"slope": 0.2})
for op, fn in [("floor", torch.floor), ("ceil", torch.ceil), ("round", torch.round), ("trunc", torch.trunc)]:
    unary(op, fn, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.3, -0.7])
unary("gelu", F.gelu, np.zeros((0, 3)), name="gelu_empty")
unary("tan", torch.tan, rnd(2, 3, 2).numpy(), name="tan_batched")

# ---- broadcasting binary functions (not at the origin for atan2/hypot: dualgrad documents NaN / 0 there)
case("atan2", "atan2", torch.atan2, [T([1.0, -1.0, 0.0, -0.0, 3.0, -2.0]), T([-1.0, -1.0, -1.0, -1.0, 0.5, 1e-3])])
case("atan2_tiny", "atan2", torch.atan2, [T([-2e-300, 1e-300]), T([1e-300, -3e-300])])
case("atan2_broadcast", "atan2", torch.atan2, [rnd(3, 1), rnd(1, 4)])
case("hypot", "hypot", torch.hypot, [T([3.0, -1e300, 1e-300, 0.0, -2.0]), T([4.0, 1e300, 2e-300, -5.0, 0.0])])
case("hypot_broadcast", "hypot", torch.hypot, [rnd(2, 3), rnd(3)])
case("logaddexp", "logaddexp", torch.logaddexp,
     [T([1e308, -1e308, 800.0, -3.0, 0.0, -745.0]), T([1e308, 5.0, 800.5, 2.0, 0.0, -745.0])])
case("logaddexp_broadcast", "logaddexp", torch.logaddexp, [rnd(4, 1, scale=3), rnd(3, scale=3)])
# a - b = 18, -25, 33: torch's rule g/(1 + e^(b - a)) differentiates exactly; this case is in TorchReferenceTest's KNOWN_BUGS
case("logaddexp_far", "logaddexp", torch.logaddexp, [T([18.0, -20.0, 3.0]), T([0.0, 5.0, -30.0])])

# ---- reductions (min as torch.amin: ties share the derivative equally, as dualgrad documents)
ties = T([[3.0, 1.0, 1.0], [2.0, 5.0, 2.0]])
case("min_all", "min", lambda x: torch.amin(x), [ties], {})
case("min_axis", "min", lambda x: torch.amin(x, 1), [ties], {"axes": [1], "keepDims": False})
case("min_axis0_keep", "min", lambda x: torch.amin(x, 0, keepdim=True), [ties], {"axes": [0], "keepDims": True})
case("min_all_tie", "min", lambda x: torch.amin(x), [T([1.0, 4.0, 1.0, 1.0])], {})
zeros = T([[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.5, -2.0, 0.5]])  # one zero, two zeros, none
case("prod_axis", "prod", lambda x: torch.prod(x, 1), [zeros], {"axes": [1], "keepDims": False})
case("prod_all_one_zero", "prod", lambda x: torch.prod(x), [T([2.0, 0.0, -3.0, 0.5])], {})
case("prod_all_two_zeros", "prod", lambda x: torch.prod(x), [T([2.0, 0.0, -3.0, 0.0])], {})
case("prod_all", "prod", lambda x: torch.prod(x), [rnd(2, 3)], {})
case("prod_axis0_keep", "prod", lambda x: torch.prod(x, 0, keepdim=True), [rnd(3, 2)], {"axes": [0], "keepDims": True})
case("prod_empty", "prod", lambda x: torch.prod(x, 1), [T(np.zeros((2, 0)))], {"axes": [1], "keepDims": False})
xv = rnd(3, 4)
for corr in (0, 1):
    ub = corr == 1
    case(f"var_all_c{corr}", "var", lambda x, ub=ub: torch.var(x, unbiased=ub), [xv], {"correction": corr})
    case(f"var_axis1_c{corr}", "var", lambda x, ub=ub: torch.var(x, 1, unbiased=ub), [xv], {"axes": [1], "correction": corr})
    case(f"std_all_c{corr}", "std", lambda x, ub=ub: torch.std(x, unbiased=ub), [xv], {"correction": corr})
    case(f"std_axis0_keep_c{corr}", "std", lambda x, ub=ub: torch.std(x, 0, unbiased=ub, keepdim=True), [xv],
         {"axes": [0], "correction": corr, "keepDims": True})
case("std_zero_variance", "std", lambda x: torch.std(x, 1), [T([[2.0, 2.0, 2.0], [1.0, -1.0, 0.5]])], {"axes": [1], "correction": 1})
case("var_axes01_batched", "var", lambda x: torch.var(x, (0, 2)), [rnd(2, 3, 4)], {"axes": [0, 2], "correction": 1})
for p, pn in [(1.0, "1"), (2.0, "2"), (math.inf, "inf")]:
    case(f"norm_p{pn}_all", "norm", lambda x, p=p: torch.linalg.vector_norm(x, p), [rnd(3, 4)], {"p": p})
    case(f"norm_p{pn}_axis1", "norm", lambda x, p=p: torch.linalg.vector_norm(x, p, dim=1), [rnd(3, 4)], {"p": p, "axes": [1]})
    case(f"norm_p{pn}_large", "norm", lambda x, p=p: torch.linalg.vector_norm(x, p), [T([1e100, -3e100, 2e100])], {"p": p})
    case(f"norm_p{pn}_small", "norm", lambda x, p=p: torch.linalg.vector_norm(x, p), [T([1e-100, -3e-100, 2e-100])], {"p": p})
for p, pn in [(1.0, "1"), (2.0, "2"), (math.inf, "inf")]:  # dualgrad documents derivative 0 at x = 0 for every p
    case(f"norm_p{pn}_zero", "norm", lambda x, p=p: torch.linalg.vector_norm(x, p), [T([0.0, 0.0, 0.0])], {"p": p})
case("norm_pinf_tie", "norm", lambda x: torch.linalg.vector_norm(x, math.inf), [T([-3.0, 1.0, 3.0, 2.0])], {"p": math.inf})
case("norm_p2_keep", "norm", lambda x: torch.linalg.vector_norm(x, 2, dim=(0, 2), keepdim=True), [rnd(2, 3, 2)],
     {"p": 2.0, "axes": [0, 2], "keepDims": True})
case("cumsum_axis1", "cumsum", lambda x: torch.cumsum(x, 1), [rnd(3, 4)], {"axis": 1})
case("cumsum_axis0", "cumsum", lambda x: torch.cumsum(x, -2), [rnd(3, 4)], {"axis": -2})
case("cumsum_empty", "cumsum", lambda x: torch.cumsum(x, 0), [T(np.zeros((0, 3)))], {"axis": 0})
case("cumprod_axis1", "cumprod", lambda x: torch.cumprod(x, 1), [rnd(3, 4)], {"axis": 1})
case("cumprod_one_zero", "cumprod", lambda x: torch.cumprod(x, 0), [T([2.0, -1.5, 0.0, 3.0, 0.5])], {"axis": 0})
case("cumprod_two_zeros", "cumprod", lambda x: torch.cumprod(x, 0), [T([2.0, 0.0, -1.5, 0.0, 3.0])], {"axis": 0})
case("cumprod_zero_first", "cumprod", lambda x: torch.cumprod(x, 0), [T([0.0, 2.0, -1.5, 4.0])], {"axis": 0})
case("logcumsumexp_axis1", "logcumsumexp", lambda x: torch.logcumsumexp(x, 1), [rnd(3, 4)], {"axis": 1})
case("logcumsumexp_large", "logcumsumexp", lambda x: torch.logcumsumexp(x, 0),
     [T([800.0, -800.0, 1000.0, 3.0, 1000.0])], {"axis": 0})
case("layerNorm_last", "layerNorm", lambda x, g, b: F.layer_norm(x, (4,), g, b, 1e-5), [rnd(2, 3, 4), rnd(4), rnd(4)],
     {"normalizedShape": [4], "eps": 1e-5})
case("layerNorm_last2", "layerNorm", lambda x, g, b: F.layer_norm(x, (3, 4), g, b, 1e-3), [rnd(2, 3, 4), rnd(3, 4), rnd(3, 4)],
     {"normalizedShape": [3, 4], "eps": 1e-3})

# ---- indexing and shape (dualgrad's negative indices mapped to PyTorch's non-negative ones)
def idx(a, n):
    return torch.tensor(np.mod(np.asarray(a), n), dtype=torch.long)


ix = [[0, 3], [-1, 1], [2, 2]]
case("takeAlongAxis", "takeAlongAxis", lambda x: torch.take_along_dim(x, idx(ix, 4), 1), [rnd(3, 4)], {"index": ix, "axis": 1})
case("takeAlongAxis_broadcast", "takeAlongAxis", lambda x: torch.take_along_dim(x, idx([[1, -1, 1]], 4), -1), [rnd(3, 4)],
     {"index": [[1, -1, 1]], "axis": -1})
case("takeAlongAxis_axis0", "takeAlongAxis", lambda x: torch.take_along_dim(x, idx([[2, 0, 1, 2]], 3), 0), [rnd(3, 4)],
     {"index": [[2, 0, 1, 2]], "axis": 0})
si = [[0, 0], [3, -1], [1, 2]]
case("scatterAdd", "scatterAdd", lambda x, val: x.scatter_add(1, idx(si, 4), val), [rnd(3, 4), rnd(3, 2)], {"index": si, "axis": 1})
case("scatterAdd_axis0", "scatterAdd", lambda x, val: x.scatter_add(0, idx([[2, 2, 0]], 3), val), [rnd(3, 3), rnd(1, 3)],
     {"index": [[2, 2, 0]], "axis": 0})
case("indexSelect_axis0", "indexSelect", lambda x: torch.index_select(x, 0, idx([2, 0, 2, -1], 3)), [rnd(3, 4)],
     {"index": [2, 0, 2, -1], "axis": 0})
case("indexSelect_axis1", "indexSelect", lambda x: torch.index_select(x, 1, idx([-1, 1], 4)), [rnd(2, 4)], {"index": [-1, 1], "axis": -1})
case("flip0", "flip", lambda x: torch.flip(x, (0,)), [rnd(3, 4)], {"axes": [0]})
case("flip_both", "flip", lambda x: torch.flip(x, (0, 2)), [rnd(2, 3, 2)], {"axes": [0, -1]})
case("flip_empty", "flip", lambda x: torch.flip(x, (0,)), [T(np.zeros((0, 2)))], {"axes": [0]})
case("roll_axes", "roll", lambda x: torch.roll(x, (2, -1), (0, 1)), [rnd(3, 4)], {"shifts": [2, -1], "axes": [0, -1]})
case("roll_flat", "roll", lambda x: torch.roll(x, 5), [rnd(3, 4)], {"shifts": [5]})
case("tile_1", "tile", lambda x: torch.tile(x, (2,)), [rnd(2, 3)], {"reps": [2]})
case("tile_3", "tile", lambda x: torch.tile(x, (2, 1, 3)), [rnd(2, 3)], {"reps": [2, 1, 3]})
case("tile_empty", "tile", lambda x: torch.tile(x, (2, 2)), [T(np.zeros((0, 3)))], {"reps": [2, 2]})
for k in (0, 1, -1):
    case(f"tril_{k}", "tril", lambda x, k=k: torch.tril(x, k), [rnd(2, 3, 4)], {"k": k})
    case(f"triu_{k}", "triu", lambda x, k=k: torch.triu(x, k), [rnd(2, 3, 4)], {"k": k})
case("diagonal_default", "diagonal", lambda x: torch.diagonal(x, 0, -2, -1), [rnd(2, 3, 4)], {})
case("diagonal_offset1", "diagonal", lambda x: torch.diagonal(x, 1, -2, -1), [rnd(3, 4)], {"offset": 1})
case("diagonal_axes", "diagonal", lambda x: torch.diagonal(x, -1, 0, 2), [rnd(3, 2, 4)], {"offset": -1, "axes": [0, 2]})
case("diag_0", "diag", lambda x: torch.diag_embed(x, 0), [rnd(3)], {"k": 0})
case("diag_batched_pos", "diag", lambda x: torch.diag_embed(x, 2), [rnd(2, 3)], {"k": 2})
case("diag_neg", "diag", lambda x: torch.diag_embed(x, -1), [rnd(3)], {"k": -1})
case("trace", "trace", torch.trace, [rnd(3, 3)], {})
case("trace_batched", "trace", lambda x: torch.diagonal(x, 0, -2, -1).sum(-1), [rnd(2, 3, 4)], {})
case("outer", "outer", torch.outer, [rnd(3), rnd(4)], {})
case("outer_empty", "outer", torch.outer, [rnd(3), T(np.zeros(0))], {})
for eq, shapes in [("ij,jk->ik", [(2, 3), (3, 4)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]), ("ii->i", [(3, 3)]),
                   ("ii", [(3, 3)]), ("ij->", [(2, 3)]), ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]),
                   ("ij,kj->ik", [(2, 3), (4, 3)]), ("ji,jk->ik", [(3, 2), (3, 4)]), ("i,i", [(4,), (4,)]),
                   ("ij,jk", [(2, 3), (3, 2)]), ("iij->j", [(2, 2, 3)]), ("bi,bj->bij", [(2, 3), (2, 2)]),
                   ("ij,jk->ik", [(2, 0), (0, 3)]), ("ijk->kji", [(2, 3, 2)])]:
    case("einsum " + eq, "einsum", lambda *ops, eq=eq: torch.einsum(eq, *ops), [rnd(*s) for s in shapes], {"equation": eq})

# ---- linear algebra
def wellcond(*shape):
    n = shape[-1]
    return rnd(*shape) + 3.0 * torch.eye(n)


def spd_raw(n):  # x with (x + xT)/2 positive definite
    m = rnd(n, n)
    return m @ m.T + n * torch.eye(n) + 0.3 * rnd(n, n)


def sym(x):  # cholesky/eigh read one triangle: both sides see only symmetric matrices
    return (x + x.mT) / 2


case("solve", "solve", torch.linalg.solve, [wellcond(3, 3), rnd(3, 2)], {})
case("solve_vector", "solve", torch.linalg.solve, [wellcond(3, 3), rnd(3)], {})
case("solve_batched_broadcast", "solve", torch.linalg.solve, [wellcond(2, 3, 3), rnd(3, 2)], {})
case("solve_batched_vector", "solve", torch.linalg.solve, [wellcond(2, 3, 3), rnd(2, 3)], {})
case("solve_pivoting", "solve", torch.linalg.solve, [T([[1e-3, 2.0, 1.0], [3.0, -1.0, 0.5], [1.0, 1.0, -4.0]]), rnd(3, 2)], {})
for upper in (False, True):
    for trans in (False, True):
        for unit in (False, True):
            nm = f"triangularSolve_{'upper' if upper else 'lower'}{'_T' if trans else ''}{'_unit' if unit else ''}"
            fn = (lambda a, b, upper=upper, trans=trans, unit=unit:
                  torch.linalg.solve_triangular(a.mT if trans else a, b, upper=(upper != trans), unitriangular=unit))
            case(nm, "triangularSolve", fn, [wellcond(3, 3), rnd(3, 2)], {"upper": upper, "transposed": trans, "unit": unit})
case("triangularSolve_batched", "triangularSolve", lambda a, b: torch.linalg.solve_triangular(a, b, upper=False),
     [wellcond(2, 3, 3), rnd(2, 3, 2)], {"upper": False, "transposed": False, "unit": False})
case("cholesky_sym", "cholesky_sym", lambda x: torch.linalg.cholesky(sym(x)), [spd_raw(4)], {})
case("cholesky_sym_batched", "cholesky_sym", lambda x: torch.linalg.cholesky(sym(x)), [torch.stack([spd_raw(3), spd_raw(3)])], {})
case("choleskySolve_tril", "choleskySolve_tril", lambda b, x: torch.cholesky_solve(b, torch.tril(x)),
     [rnd(3, 2), torch.tril(rnd(3, 3)) + 2.0 * torch.eye(3)], {})
case("inv", "inv", torch.linalg.inv, [wellcond(3, 3)], {})
case("inv_batched", "inv", torch.linalg.inv, [wellcond(2, 3, 3)], {})
case("det", "det", torch.linalg.det, [rnd(3, 3)], {})
case("det_batched", "det", torch.linalg.det, [rnd(2, 4, 4)], {})
case("det_0x0", "det", torch.linalg.det, [T(np.zeros((0, 0)))], {})
negdet = T([[0.0, 2.0, 1.0], [1.0, 0.5, 0.0], [3.0, 1.0, 1.0]])
case("slogdet_logabs", "slogdet_logabs", lambda a: torch.linalg.slogdet(a)[1], [negdet], {})
case("slogdet_sign", "slogdet_sign", lambda a: torch.linalg.slogdet(a)[0], [negdet], {})
case("slogdet_logabs_batched", "slogdet_logabs", lambda a: torch.linalg.slogdet(a)[1], [rnd(2, 3, 3)], {})
# eigh: eigenvalues, and V ⊙ V and V·diag(exp w)·Vᵀ, which do not depend on the eigenvectors' signs (at 1e-12 too:
# dualgrad's Jacobi and LAPACK agree to a few ulps here, with eigenvalue gaps well away from 0)
case("eigh_values", "eigh_values", lambda x: torch.linalg.eigh(sym(x))[0], [rnd(4, 4)], {})
case("eigh_vv", "eigh_vv", lambda x: torch.linalg.eigh(sym(x))[1] ** 2, [rnd(4, 4)], {})
case("eigh_expm", "eigh_expm",
     lambda x: (lambda e: e[1] @ torch.diag_embed(torch.exp(e[0])) @ e[1].mT)(torch.linalg.eigh(sym(x))), [rnd(2, 3, 3)], {})



# ---- where PyTorch 1.13 itself is wrong, the reference is the closed form (PyTorch's value kept as torch_<field>)
def override(name, field, value, reason):
    c = next(c for c in CASES if c["name"] == name)
    c["torch_" + field] = c[field]
    c[field] = [enc(t) for t in value] if isinstance(value, list) else enc(value)
    c.setdefault("overrides", {})[field] = reason


def data(name, field, i=0):
    c = next(c for c in CASES if c["name"] == name)
    e = c[field] if field in ("w", "out", "jvp") else c[field][i]
    return np.array(e["data"]).reshape(e["shape"])


# acosh near 1: PyTorch's 1/sqrt(x*x - 1) loses 2e-11 at x = 1.000001; (x - 1)(x + 1) in 50 digits
from decimal import Decimal, getcontext
getcontext().prec = 50
xs, ws, vs = (data("acosh", f) for f in ("inputs", "w", "v"))
d1 = [1 / ((Decimal(x) - 1) * (Decimal(x) + 1)).sqrt() for x in xs]
d2 = [-Decimal(x) * d ** 3 for x, d in zip(xs, d1)]
reason = "closed form in 50 digits: acosh' = 1/sqrt((x-1)(x+1)), acosh'' = -x/((x-1)(x+1))^1.5; torch's x*x - 1 cancels near 1"
override("acosh", "grad", [T([float(Decimal(w) * d) for w, d in zip(ws, d1)])], reason)
override("acosh", "hvp", [T([float(Decimal(w) * d * Decimal(v)) for w, d, v in zip(ws, d2, vs)])], reason)
override("acosh", "jvp", T([float(d * Decimal(v)) for d, v in zip(d1, vs)]), reason)
# prod with two zeros: d2/dxi dxj prod = prod of the others, nonzero for the two zeros' pair; torch 1.13 returns 0
x, w, v = data("prod_all_two_zeros", "inputs"), data("prod_all_two_zeros", "w"), data("prod_all_two_zeros", "v")
H = np.array([[0.0 if i == j else np.prod([x[k] for k in range(4) if k not in (i, j)]) for j in range(4)] for i in range(4)])
override("prod_all_two_zeros", "hvp", [T(w * H @ v)], "closed form: H_ij = prod of x_k over k != i, j (= x0*x2 for the zeros' pair); torch gives 0")
# elu at the kink: dualgrad takes the x <= 0 branch alpha*(e^x - 1) at every order (elu'(0) = alpha, as PyTorch),
# so elu''(0) = alpha; PyTorch's double backward takes the other branch there (0) -- a convention, not an error
x, w, v = data("elu_kink", "inputs"), data("elu_kink", "w"), data("elu_kink", "v")
override("elu_kink", "hvp", [T(0.7 * w * v)], "convention at the kink: elu''(0) = alpha, the x <= 0 branch (torch: 0)")
# logaddexp(-1e308, 5): the Hessian s(1-s)[[1,-1],[-1,1]], s = sigmoid(a - b) = 0 exactly; torch gives NaN (inf*0)
a, b = data("logaddexp", "inputs", 0), data("logaddexp", "inputs", 1)
w, va, vb = data("logaddexp", "w"), data("logaddexp", "v", 0), data("logaddexp", "v", 1)
with np.errstate(over="ignore"):
    sg = 1 / (1 + np.exp(b - a))
ha = w * sg * (1 - sg) * (va - vb)
override("logaddexp", "hvp", [T(ha), T(-ha)], "closed form: s(1-s)(va - vb), s = sigmoid(a - b); torch NaN at (-1e308, 5)")
# logcumsumexp with exponents 200 apart: H = sum_k w_k (diag p_k - p_k p_k^T), p_k the prefix softmax; torch's double
# backward carries ~1e-14 absolute noise where the exact entry is e^-200 ~ 1e-87
x, w, v = data("logcumsumexp_large", "inputs"), data("logcumsumexp_large", "w"), data("logcumsumexp_large", "v")
H = np.zeros((5, 5))
for k in range(5):
    pk = np.zeros(5)
    pk[:k + 1] = np.exp(x[:k + 1] - x[:k + 1].max())
    pk /= pk.sum()
    H += w[k] * (np.diag(pk) - np.outer(pk, pk))
override("logcumsumexp_large", "hvp", [T(H @ v)], "closed form sum_k w_k (diag p_k - p_k p_k^T) v; torch has 1e-14 noise on an e^-200 entry")
# atan2 at (y, x) = (-2e-300, 1e-300): x*x + y*y underflows in torch (-inf); the partials x/r^2, -y/r^2 and the
# second partials -2xy/r^4, (y^2 - x^2)/r^4, 2xy/r^4 in 50 digits (exact for every element of the case)
ys, xs = data("atan2_tiny", "inputs", 0), data("atan2_tiny", "inputs", 1)
w, vy, vx = data("atan2_tiny", "w"), data("atan2_tiny", "v", 0), data("atan2_tiny", "v", 1)
gy, gx, hy, hx, jv = [], [], [], [], []
for y, x, wi, a, b in zip(ys, xs, w, vy, vx):
    Y, X, W, A, B = (Decimal(float(t)) for t in (y, x, wi, a, b))
    r2 = X * X + Y * Y
    yy, xy, xx = -2 * X * Y / r2 ** 2, (Y * Y - X * X) / r2 ** 2, 2 * X * Y / r2 ** 2
    gy.append(float(W * X / r2)); gx.append(float(-W * Y / r2))
    hy.append(float(W * (yy * A + xy * B))); hx.append(float(W * (xy * A + xx * B)))
    jv.append(float(X / r2 * A - Y / r2 * B))
reason = "closed form in 50 digits; torch's x*x + y*y underflows at (-2e-300, 1e-300)"
override("atan2_tiny", "grad", [T(gy), T(gx)], reason)
override("atan2_tiny", "hvp", [T(hy), T(hx)], reason + " (the second partials, ~1e599, round to +-inf)")
override("atan2_tiny", "jvp", T(jv), reason)
# std at zero variance: the first derivative is the documented convention 0 (both agree), but std(c + tv) = |t| std(v)
# has no second derivative there: dualgrad says NaN, torch's masked rule 0 (a convention dualgrad does not share)
h = data("std_zero_variance", "hvp").copy()
h[0, :] = np.nan
override("std_zero_variance", "hvp", [T(h)], "no second derivative at zero variance: dualgrad NaN, torch's mask gives 0")
j = data("std_zero_variance", "jvp").copy()
j[0] = 0.0
override("std_zero_variance", "jvp", T(j), "J v = 0 on the constant row, as the documented std' = 0 (torch's double-backward trick: NaN)")
# logaddexp with a - b = 18, -25, 33 (a KNOWN_BUGS case for dualgrad): the Hessian s(1-s) in 50 digits, s = sigmoid(a - b)
a, b = data("logaddexp_far", "inputs", 0), data("logaddexp_far", "inputs", 1)
w, va, vb = data("logaddexp_far", "w"), data("logaddexp_far", "v", 0), data("logaddexp_far", "v", 1)
ha = []
for ai, bi, wi, p, q in zip(a, b, w, va, vb):
    sg = 1 / (1 + (Decimal(float(bi)) - Decimal(float(ai))).exp())
    ha.append(float(Decimal(float(wi)) * sg * (1 - sg) * (Decimal(float(p)) - Decimal(float(q)))))
override("logaddexp_far", "hvp", [T(ha), T([-h for h in ha])], "closed form s(1-s)(va - vb) in 50 digits (torch agrees to 1 ulp)")

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "torch-reference", "ops.json")
with open(path, "w") as f:
    json.dump({"generator": "src/test/python/torch_reference.py", "torch": torch.__version__, "cases": CASES}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(CASES)} cases -> {os.path.normpath(path)}")
