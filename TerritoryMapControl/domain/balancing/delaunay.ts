/**
 * Delaunay adjacency for contiguity when no edges are given: incremental Bowyer–Watson with neighbour
 * pointers, points inserted in a serpentine grid order so the point-location walk stays short
 * (≈ O(n log n) in practice). Coordinates are treated as planar (longitude/latitude is fine for
 * adjacency). Duplicate points are linked to the first copy. Returns edges as a flat Int32Array [a0, b0, a1, b1, …].
 */
export function delaunayEdges(xs: Float64Array, ys: Float64Array): Int32Array {
  const n = xs.length;
  if (n < 2) return new Int32Array(0);
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (xs[i] < minX) minX = xs[i];
    if (xs[i] > maxX) maxX = xs[i];
    if (ys[i] < minY) minY = ys[i];
    if (ys[i] > maxY) maxY = ys[i];
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  // normalised coordinates in [0,1] plus 3 super vertices
  const px = new Float64Array(n + 3);
  const py = new Float64Array(n + 3);
  for (let i = 0; i < n; i++) {
    px[i] = (xs[i] - minX) / span;
    py[i] = (ys[i] - minY) / span;
  }
  const S = 1000;
  px[n] = -S;
  py[n] = -S;
  px[n + 1] = S;
  py[n + 1] = -S;
  px[n + 2] = 0;
  py[n + 2] = S;
  // insertion order: serpentine grid
  const g = Math.max(1, Math.floor(Math.sqrt(n / 4)));
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const gx = Math.min(g - 1, Math.floor(px[i] * g));
    const gy = Math.min(g - 1, Math.floor(py[i] * g));
    key[i] = gy * g + (gy % 2 === 0 ? gx : g - 1 - gx) + (gy % 2 === 0 ? px[i] : 1 - px[i]) * 1e-3;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[a] - key[b]);

  let cap = 2 * n + 16;
  let V = new Int32Array(cap * 3); // vertices (ccw)
  let N = new Int32Array(cap * 3); // neighbour opposite vertex j
  let alive = new Uint8Array(cap);
  let count = 0;
  const free: number[] = [];
  const grow = () => {
    cap *= 2;
    const V2 = new Int32Array(cap * 3);
    V2.set(V);
    V = V2;
    const N2 = new Int32Array(cap * 3);
    N2.set(N);
    N = N2;
    const A2 = new Uint8Array(cap);
    A2.set(alive);
    alive = A2;
  };
  const newTri = (a: number, b: number, c: number): number => {
    let t: number;
    if (free.length) t = free.pop()!;
    else {
      if (count >= cap) grow();
      t = count++;
    }
    V[3 * t] = a;
    V[3 * t + 1] = b;
    V[3 * t + 2] = c;
    N[3 * t] = N[3 * t + 1] = N[3 * t + 2] = -1;
    alive[t] = 1;
    return t;
  };
  const orient = (a: number, b: number, cx: number, cy: number) => (px[b] - px[a]) * (cy - py[a]) - (py[b] - py[a]) * (cx - px[a]);
  const inCircle = (t: number, qx: number, qy: number): boolean => {
    const a = V[3 * t],
      b = V[3 * t + 1],
      c = V[3 * t + 2];
    const adx = px[a] - qx,
      ady = py[a] - qy;
    const bdx = px[b] - qx,
      bdy = py[b] - qy;
    const cdx = px[c] - qx,
      cdy = py[c] - qy;
    const ad = adx * adx + ady * ady,
      bd = bdx * bdx + bdy * bdy,
      cd = cdx * cdx + cdy * cdy;
    const det = adx * (bdy * cd - bd * cdy) - ady * (bdx * cd - bd * cdx) + ad * (bdx * cdy - bdy * cdx);
    return det > 0;
  };
  let last = newTri(n, n + 1, n + 2);
  const dupOf = new Int32Array(n).fill(-1);
  const stamp = new Int32Array(cap * 4);
  let stampCap = cap;
  let stampId = 0;
  let inCavity = new Int32Array(cap);
  const byA = new Map<number, number>();
  const byB = new Map<number, number>();
  const stack: number[] = [];
  const cavity: number[] = [];
  const bnd: number[] = []; // triples: a, b, outerTri
  for (const p of order) {
    const qx = px[p],
      qy = py[p];
    // walk to containing triangle
    let t = last;
    for (let guard = 0; guard < 4 * n + 100; guard++) {
      let moved = false;
      for (let j = 0; j < 3; j++) {
        const a = V[3 * t + ((j + 1) % 3)],
          b = V[3 * t + ((j + 2) % 3)];
        if (orient(a, b, qx, qy) < 0 && N[3 * t + j] >= 0) {
          t = N[3 * t + j];
          moved = true;
          break;
        }
      }
      if (!moved) break;
    }
    // duplicate?
    let dup = -1;
    for (let j = 0; j < 3; j++) {
      const v = V[3 * t + j];
      if (v < n && px[v] === qx && py[v] === qy) dup = v;
    }
    if (dup >= 0) {
      dupOf[p] = dup;
      continue;
    }
    if (stampCap < cap) {
      stampCap = cap;
      inCavity = new Int32Array(cap);
    }
    stampId++;
    cavity.length = 0;
    stack.length = 0;
    stack.push(t);
    inCavity[t] = stampId;
    while (stack.length) {
      const c = stack.pop()!;
      cavity.push(c);
      for (let j = 0; j < 3; j++) {
        const nb = N[3 * c + j];
        if (nb >= 0 && inCavity[nb] !== stampId && inCircle(nb, qx, qy)) {
          inCavity[nb] = stampId;
          stack.push(nb);
        }
      }
    }
    bnd.length = 0;
    for (const c of cavity) {
      for (let j = 0; j < 3; j++) {
        const nb = N[3 * c + j];
        if (nb < 0 || inCavity[nb] !== stampId) bnd.push(V[3 * c + ((j + 1) % 3)], V[3 * c + ((j + 2) % 3)], nb, c, j);
      }
    }
    for (const c of cavity) {
      alive[c] = 0;
      free.push(c);
    }
    byA.clear();
    byB.clear();
    const created: number[] = [];
    for (let e = 0; e < bnd.length; e += 5) {
      const a = bnd[e],
        b = bnd[e + 1],
        outer = bnd[e + 2];
      const nt = newTri(p, a, b);
      created.push(nt);
      N[3 * nt] = outer;
      if (outer >= 0) {
        for (let j = 0; j < 3; j++) {
          // outer's edge (b, a)
          if (V[3 * outer + ((j + 1) % 3)] === b && V[3 * outer + ((j + 2) % 3)] === a) N[3 * outer + j] = nt;
        }
      }
      byA.set(a, nt);
      byB.set(b, nt);
    }
    for (const nt of created) {
      const a = V[3 * nt + 1],
        b = V[3 * nt + 2];
      N[3 * nt + 2] = byB.get(a) ?? -1; // opposite b: edge (p, a)
      N[3 * nt + 1] = byA.get(b) ?? -1; // opposite a: edge (b, p)
    }
    if (stamp.length < 0) stampId = 0;
    last = created[0];
  }
  const out: number[] = [];
  for (let t = 0; t < count; t++) {
    if (!alive[t]) continue;
    for (let j = 0; j < 3; j++) {
      const a = V[3 * t + j],
        b = V[3 * t + ((j + 1) % 3)];
      if (a < n && b < n && a < b) out.push(a, b);
    }
  }
  // each interior edge appears twice (once per triangle, as a<b in one orientation each) — dedupe
  const seen = new Set<number>();
  const res: number[] = [];
  for (let e = 0; e < out.length; e += 2) {
    const kk = out[e] * n + out[e + 1];
    if (!seen.has(kk)) {
      seen.add(kk);
      res.push(out[e], out[e + 1]);
    }
  }
  for (let i = 0; i < n; i++) if (dupOf[i] >= 0) res.push(dupOf[i], i);
  return Int32Array.from(res);
}
