"""SHA-256 in a few lines of JavaScript, for the page's script to check a variant file's digest.

The browser's own ``crypto.subtle`` exists only in secure contexts (https, localhost), and a blog is
also served over plain http; one implementation everywhere means one behaviour everywhere. A
variant file is tens of kilobytes and is hashed once, when it arrives, never while scrubbing.
The round constants are computed (the fractional parts of the cube and square roots of the first
primes), as the standard defines them.
"""

from __future__ import annotations

FUNCTION = """\
  // SHA-256 of a Uint8Array as 64 hex digits (site_tools/render/sha256_js.py).
  function sha256Hex(bytes) {
    const K = [], H = [];
    for (let n = 2; K.length < 64; n++) {
      let prime = true;
      for (let d = 2; d * d <= n; d++) { if (n % d === 0) { prime = false; break; } }
      if (!prime) { continue; }
      if (H.length < 8) { H.push((Math.sqrt(n) % 1) * 4294967296 | 0); }
      K.push((Math.cbrt(n) % 1) * 4294967296 | 0);
    }
    const length = bytes.length;
    const words = new Uint32Array(((length + 8) >> 6) * 16 + 16);
    for (let i = 0; i < length; i++) { words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8); }
    words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
    words[words.length - 2] = Math.floor(length / 0x20000000);
    words[words.length - 1] = (length * 8) >>> 0;
    const w = new Uint32Array(64);
    const rotr = function (x, n) { return (x >>> n) | (x << (32 - n)); };
    for (let block = 0; block < words.length; block += 16) {
      let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (let i = 0; i < 64; i++) {
        if (i < 16) {
          w[i] = words[block + i];
        } else {
          const x = w[i - 15], y = w[i - 2];
          w[i] = w[i - 16] + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 7]
            + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10));
        }
        const t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
      H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
    }
    return H.map(function (x) { return (x >>> 0).toString(16).padStart(8, "0"); }).join("");
  }
"""
