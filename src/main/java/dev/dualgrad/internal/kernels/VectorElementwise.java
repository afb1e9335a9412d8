package dev.dualgrad.internal.kernels;

import static dev.dualgrad.internal.kernels.Elementwise.C;
import static dev.dualgrad.internal.kernels.Elementwise.INV_LN2;
import static dev.dualgrad.internal.kernels.Elementwise.LN2_HI;
import static dev.dualgrad.internal.kernels.Elementwise.LN2_LO;
import static dev.dualgrad.internal.kernels.Elementwise.SHIFTER;
import static dev.dualgrad.internal.kernels.Elementwise.TANH_CLAMP;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Elementwise}'s array kernels on the Vector API: the same operations in the same order as the
 * scalar forms (fma, mul, div and bit operations are exact or correctly rounded lane by lane), so each
 * lane's value is bitwise the scalar one.
 */
final class VectorElementwise implements Elementwise.ArrayKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    @Override
    public int tanh(double[] x, int xo, double[] y, int yo, int n) {
        int w = S.length(), end = n - n % w;
        DoubleVector shifter = DoubleVector.broadcast(S, SHIFTER), one = DoubleVector.broadcast(S, 1.0);
        DoubleVector ln2Hi = DoubleVector.broadcast(S, LN2_HI), ln2Lo = DoubleVector.broadcast(S, LN2_LO);
        for (int i = 0; i < end; i += w) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector a = v.abs().min(TANH_CLAMP);
            DoubleVector t = a.add(a);
            DoubleVector s = t.fma(INV_LN2, SHIFTER);
            DoubleVector k = s.sub(shifter).neg();
            DoubleVector r = k.fma(ln2Hi, t);
            r = k.fma(ln2Lo, r);
            DoubleVector q = DoubleVector.broadcast(S, C[12]);
            for (int j = 11; j >= 0; j--) q = q.fma(r, DoubleVector.broadcast(S, C[j]));
            DoubleVector p = r.mul(q);
            LongVector bits = (LongVector) s.reinterpretAsLongs();
            DoubleVector twoK = bits.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector e = twoK.fma(p, twoK.sub(one));
            DoubleVector th = e.div(e.add(2.0));
            LongVector sign = ((LongVector) v.reinterpretAsLongs()).and(Long.MIN_VALUE);  // Math.copySign(th, v)
            ((LongVector) th.reinterpretAsLongs()).and(Long.MAX_VALUE).or(sign).reinterpretAsDoubles().intoArray(y, yo + i);
        }
        return end;
    }

    @Override
    public int mulStrongZero(double[] a, int ao, double[] b, int bo, double[] y, int yo, int n) {
        int w = S.length(), end = n - n % w;
        for (int i = 0; i < end; i += w) {
            DoubleVector u = DoubleVector.fromArray(S, a, ao + i), v = DoubleVector.fromArray(S, b, bo + i);
            VectorMask<Double> zero = u.eq(0.0).or(v.eq(0.0));
            u.mul(v).blend(0.0, zero).intoArray(y, yo + i);
        }
        return end;
    }

    @Override
    public int mulStrongZero(double[] a, int ao, double v, double[] y, int yo, int n) {
        int w = S.length(), end = n - n % w;
        DoubleVector vv = DoubleVector.broadcast(S, v);
        for (int i = 0; i < end; i += w) {
            DoubleVector u = DoubleVector.fromArray(S, a, ao + i);
            u.mul(vv).blend(0.0, u.eq(0.0)).intoArray(y, yo + i); // v ≠ 0 here
        }
        return end;
    }

    @Override
    public int scaleAndSumSquares(double[] s, int so, double[] f, int fo, double[] y, double[] sq, int n) {
        int w = S.length(), end = n - n % w;
        for (int i = 0; i < end; i += w) {
            DoubleVector j = DoubleVector.fromArray(S, s, so + i);
            j.mul(DoubleVector.fromArray(S, f, fo + i)).intoArray(y, so + i);
            DoubleVector.fromArray(S, sq, fo + i).add(j.mul(j)).intoArray(sq, fo + i);
        }
        return end;
    }

    @Override
    public int arithmetic(Elementwise.Arith op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n) {
        int w = S.length(), end = n - n % w;
        // one loop per operator and stride pattern: the intrinsics need the operator a constant, and a lane that
        // is either a load or a broadcast scalar (a phi of the two) would keep C2 from unboxing the vectors
        if (as == 1 && bs == 1) {
            switch (op) {
                case ADD: for (int i = 0; i < end; i += w) load(a, ao + i).add(load(b, bo + i)).intoArray(y, yo + i); break;
                case SUB: for (int i = 0; i < end; i += w) load(a, ao + i).sub(load(b, bo + i)).intoArray(y, yo + i); break;
                case MUL: for (int i = 0; i < end; i += w) load(a, ao + i).mul(load(b, bo + i)).intoArray(y, yo + i); break;
                default: for (int i = 0; i < end; i += w) load(a, ao + i).div(load(b, bo + i)).intoArray(y, yo + i); break;
            }
        } else if (as == 1) { // b one scalar
            DoubleVector v = DoubleVector.broadcast(S, b[bo]);
            switch (op) {
                case ADD: for (int i = 0; i < end; i += w) load(a, ao + i).add(v).intoArray(y, yo + i); break;
                case SUB: for (int i = 0; i < end; i += w) load(a, ao + i).sub(v).intoArray(y, yo + i); break;
                case MUL: for (int i = 0; i < end; i += w) load(a, ao + i).mul(v).intoArray(y, yo + i); break;
                default: for (int i = 0; i < end; i += w) load(a, ao + i).div(v).intoArray(y, yo + i); break;
            }
        } else { // a one scalar
            DoubleVector u = DoubleVector.broadcast(S, a[ao]);
            switch (op) {
                case ADD: for (int i = 0; i < end; i += w) u.add(load(b, bo + i)).intoArray(y, yo + i); break;
                case SUB: for (int i = 0; i < end; i += w) u.sub(load(b, bo + i)).intoArray(y, yo + i); break;
                case MUL: for (int i = 0; i < end; i += w) u.mul(load(b, bo + i)).intoArray(y, yo + i); break;
                default: for (int i = 0; i < end; i += w) u.div(load(b, bo + i)).intoArray(y, yo + i); break;
            }
        }
        return end;
    }

    @Override
    public int axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        int w = S.length(), end = n - n % w;
        DoubleVector av = DoubleVector.broadcast(S, a);
        for (int i = 0; i < end; i += w) load(y, yo + i).add(av.mul(load(x, xo + i))).intoArray(y, yo + i);
        return end;
    }

    @Override
    public int fusedAxpy(double v, double[] b, int bo, double[] c, int co, int n) {
        int w = S.length(), end = n - n % w;
        DoubleVector vv = DoubleVector.broadcast(S, v);
        for (int i = 0; i < end; i += w) vv.fma(load(b, bo + i), load(c, co + i)).intoArray(c, co + i);
        return end;
    }

    private static DoubleVector load(double[] x, int at) {
        return DoubleVector.fromArray(S, x, at);
    }

    static int lanes() {
        return S.length();
    }

    @Override
    public double zeroProductSum(double[] d, int n) {
        int w = S.length(), end = n - n % w;
        DoubleVector acc = DoubleVector.zero(S);
        for (int i = 0; i < end; i += w) acc = acc.add(DoubleVector.fromArray(S, d, i).mul(0.0));
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
