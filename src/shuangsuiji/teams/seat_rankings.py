"""Random preference orders for the second random (docs/spec.md §8.4).

Every seat of a visit ranks its candidates by a uniformly random permutation, drawn lazily by a
Fisher–Yates shuffle (Durstenfeld 1964; Knuth, TAOCP vol. 2, §3.4.2, Algorithm P) whose random
integers come from a SipHash-2-4 stream::

    K      = prn_key(seed, namespace)                      # docs/spec.md §3
    x_t    = SipHash-2-4(K, utf8(label) || "|" || dec(t))   t = 0, 1, 2, ...
    uniform(m): take the next x; reject it if x >= m * floor(2**64 / m), else return x mod m
    step j (0 <= j < n): r = j + uniform(n - j); swap A[j], A[r]; the j-th choice is A[j]

``A`` starts as ``0, 1, ..., n-1``: positions in the seat's candidate list, which is sorted by
the candidates' IDs. Rejection makes every integer exactly uniform, so every permutation is
exactly equally likely (given SipHash's PRF property, as for PRNs). Rejections have probability
below ``m / 2**64``; the vectorised head handles them by falling back to the walker.

Only the first few choices of most seats are ever looked at, so :meth:`Streams.head` computes
the first ``T`` steps of many seats at once with numpy, and :meth:`Streams.walker` continues one
seat's permutation in Python for the rare seat that walks far.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from ..randomness.prn import prn_key, siphash24

__all__ = [
    "NS_EXPERTS",
    "NS_INSPECTORS",
    "NS_OFFICERS",
    "NS_VISITS",
    "Streams",
    "order_key",
    "seat_label",
    "seat_labels",
    "uniform_below",
]

NS_OFFICERS = "shuangsuiji/assign/v1/officers"
NS_EXPERTS = "shuangsuiji/assign/v1/experts"
NS_VISITS = "shuangsuiji/assign/v1/visits"
NS_INSPECTORS = "shuangsuiji/assign/v1/inspectors"

_U64 = np.uint64
_MAX = np.uint64(0xFFFFFFFFFFFFFFFF)
_CHUNK = 32  # stream values hashed per walker refill


def seat_label(target: bytes, stream: int) -> bytes:
    """``utf8(target) || "|" || dec(stream)``: the label of one seat's stream."""
    return target + b"|" + str(stream).encode("ascii")


def seat_labels(
    targets: npt.NDArray[np.bytes_], streams: npt.NDArray[np.int64]
) -> npt.NDArray[np.bytes_]:
    """:func:`seat_label` of many seats at once."""
    digits = np.array([str(j).encode("ascii") for j in range(int(streams.max(initial=0)) + 1)])
    out: npt.NDArray[np.bytes_] = np.strings.add(np.strings.add(targets, b"|"), digits[streams])
    return out


def order_key(seed: bytes, namespace: str, ids: npt.NDArray[np.bytes_]) -> npt.NDArray[np.intp]:
    """Ranks 0..n-1 of ``ids`` by (SipHash PRN in ``namespace``, UTF-8 bytes): a random order."""
    h = siphash24(prn_key(seed, namespace), ids)
    order = np.lexsort((ids, h))
    rank = np.empty(ids.shape[0], np.intp)
    rank[order] = np.arange(ids.shape[0], dtype=np.intp)
    return rank


def uniform_below(x: int, m: int) -> int | None:
    """``x mod m``, or ``None`` when ``x`` falls in the rejected top ``2**64 mod m`` values."""
    if x >= m * ((1 << 64) // m):
        return None
    return x % m


class Streams:
    """Lazy random permutations, one per seat, over candidate lists of the given sizes.

    ``labels[i]`` is seat ``i``'s stream label (:func:`seat_label`), ``sizes[i]`` the length of
    its candidate list; positions returned index that list. Three tiers, all giving exactly the
    positions of :meth:`walker`: the first :data:`HEAD` steps of every seat (a sparse shuffle,
    vectorised over seats), then :data:`MIDDLE` steps for seats that walk further, then a dense
    shuffle (the whole list held as an array) for the few that walk far.
    """

    HEAD = 4
    MIDDLE = 16

    def __init__(
        self, key: bytes, labels: npt.NDArray[np.bytes_], sizes: npt.NDArray[np.int64]
    ) -> None:
        self.key = key
        self.labels = np.asarray(labels, dtype="S")
        self.sizes = np.asarray(sizes, np.int64)
        self._head: npt.NDArray[np.int64] | None = None
        self._mid_row = np.full(len(labels), -1, np.intp)
        self._mid = np.zeros((0, self.MIDDLE), np.int64)
        self._dense_row = np.full(len(labels), -1, np.intp)
        self._dense_state = np.zeros((0, 0), np.int32)
        self._dense_out = np.zeros((0, 0), np.int32)
        self._dense_done = np.zeros(0, np.int64)
        self._dense_seat = np.zeros(0, np.intp)

    # -- the stream --------------------------------------------------------------------------------
    def values(self, seats: npt.NDArray[np.intp], t0: int, t1: int) -> npt.NDArray[np.uint64]:
        """``x_t`` for ``t`` in ``[t0, t1)`` of the given seats, shape (len(seats), t1 - t0)."""
        out = np.empty((seats.shape[0], max(t1 - t0, 0)), _U64)
        if seats.size == 0 or t1 <= t0:
            return out
        base = np.strings.add(self.labels[seats], b"|")
        ts = np.array([str(t).encode("ascii") for t in range(t0, t1)], dtype="S")
        msgs = np.strings.add(base[:, None], ts[None, :]).reshape(-1)
        out[:] = siphash24(self.key, msgs).reshape(out.shape)
        return out

    @staticmethod
    def _rejected(x: npt.NDArray[np.uint64], m: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Where ``x`` is rejected by ``uniform(m)`` (never where ``m <= 0``)."""
        mm = np.maximum(m, 1).astype(_U64)
        rem = (_MAX % mm + _U64(1)) % mm  # 2**64 mod m
        limit = np.zeros_like(rem) - rem  # 2**64 - rem, wrapping (0 when rem == 0)
        out: npt.NDArray[np.bool_] = (m > 0) & (rem != 0) & (x >= limit)
        return out

    def _from_walker(self, seat: int, steps: int) -> npt.NDArray[np.int64]:
        out = np.full(steps, -1, np.int64)
        for j, pos in zip(range(steps), self.walker(seat)):
            out[j] = pos
        return out

    # -- tiers -------------------------------------------------------------------------------------
    def _sparse(self, seats: npt.NDArray[np.intp], steps: int) -> npt.NDArray[np.int64]:
        """The first ``steps`` positions of ``seats``: swaps kept as (position, value) records."""
        n_seats = seats.shape[0]
        out = np.full((n_seats, steps), -1, np.int64)
        if n_seats == 0 or steps == 0:
            return out
        sizes = self.sizes[seats]
        x = self.values(seats, 0, steps)
        rec_pos = np.full((n_seats, steps), -1, np.int64)
        rec_val = np.zeros((n_seats, steps), np.int64)
        bad = np.zeros(n_seats, bool)
        rows = np.arange(n_seats)

        def resolve(q: npt.NDArray[np.int64], j: int) -> npt.NDArray[np.int64]:
            # the value now at position q: the latest swap record for q, else q itself
            if j == 0:
                same: npt.NDArray[np.int64] = q.copy()
                return same
            eq = rec_pos[:, :j] == q[:, None]
            has = eq.any(axis=1)
            last = j - 1 - np.argmax(eq[:, ::-1], axis=1)
            out_q: npt.NDArray[np.int64] = np.where(has, rec_val[rows, last], q)
            return out_q

        for j in range(steps):
            m = sizes - j
            live = m > 0
            xj = x[:, j]
            bad |= self._rejected(xj, m)
            r = j + (xj % np.maximum(m, 1).astype(_U64)).astype(np.int64)
            vr = resolve(r, j)
            vj = resolve(np.full(n_seats, j, np.int64), j)
            out[live, j] = vr[live]
            rec_pos[:, j] = np.where(live, r, -1)
            rec_val[:, j] = vj
        for i in np.flatnonzero(bad).tolist():
            out[i] = self._from_walker(int(seats[i]), steps)
        return out

    def _dense_advance(self, rows: npt.NDArray[np.intp], upto: int) -> None:
        """Continue the dense shuffles of ``rows`` (all at the same step) to step ``upto``."""
        if rows.size == 0:
            return
        d = int(self._dense_done[rows[0]])
        seats = self._dense_seat[rows]
        sizes = self.sizes[seats]
        upto = min(upto, int(sizes.max()))
        if upto <= d:
            return
        x = self.values(seats, d, upto)
        state, out = self._dense_state, self._dense_out
        bad = np.zeros(rows.shape[0], bool)
        if rows.size <= 4:  # a few rows: plain Python integers beat numpy's per-call cost
            for i, row in enumerate(rows.tolist()):
                n = int(sizes[i])
                a = state[row].tolist()
                o = out[row].tolist()
                for j, xv in zip(range(d, min(upto, n)), x[i].tolist()):
                    u = uniform_below(xv, n - j)
                    if u is None:
                        bad[i] = True
                        break
                    r = j + u
                    a[j], a[r] = a[r], a[j]
                    o[j] = a[j]
                state[row] = a
                out[row] = o
        else:
            steps = np.arange(d, upto, dtype=np.int64)
            m_all = sizes[:, None] - steps[None, :]
            bad |= self._rejected(x, m_all).any(axis=1)
            r_all = steps[None, :] + (x % np.maximum(m_all, 1).astype(_U64)).astype(np.int64)
            for j in range(d, upto):
                live = m_all[:, j - d] > 0
                lr = rows[live]
                r = r_all[live, j - d]
                a_r = state[lr, r]
                state[lr, r] = state[lr, j]
                state[lr, j] = a_r
                out[lr, j] = a_r
        self._dense_done[rows] = upto
        for i in np.flatnonzero(bad).tolist():
            seat = int(seats[i])
            full = self._from_walker(seat, int(self.sizes[seat]))
            out[rows[i], : full.size] = full
            self._dense_done[rows[i]] = full.size

    def _dense(self, seats: npt.NDArray[np.intp], upto: int) -> npt.NDArray[np.intp]:
        """Rows of the dense tier for ``seats`` (created as needed), advanced to ``upto``."""
        new = np.unique(seats[self._dense_row[seats] < 0])
        if new.size:
            used = self._dense_seat.shape[0]
            width = max(self._dense_state.shape[1], int(self.sizes[new].max()))
            rows_cap = self._dense_state.shape[0]
            if used + new.size > rows_cap or width > self._dense_state.shape[1]:
                # grow geometrically: many small batches of new rows must not copy quadratically
                rows_cap = max(2 * rows_cap, used + new.size, 64)
                state = np.zeros((rows_cap, width), np.int32)
                out = np.full((rows_cap, width), -1, np.int32)
                old_w = self._dense_state.shape[1]
                state[:used, :old_w] = self._dense_state[:used]
                out[:used, :old_w] = self._dense_out[:used]
                self._dense_state, self._dense_out = state, out
                done = np.zeros(rows_cap, np.int64)
                done[:used] = self._dense_done[:used]
                self._dense_done = done
            self._dense_state[used : used + new.size] = np.arange(width, dtype=np.int32)
            self._dense_out[used : used + new.size] = -1
            self._dense_done[used : used + new.size] = 0
            self._dense_seat = np.concatenate([self._dense_seat, new])
            self._dense_row[new] = np.arange(used, used + new.size)
        rows = self._dense_row[seats]
        lagging = np.unique(rows[self._dense_done[rows] < upto])
        # grow geometrically, so that a seat walking far costs few passes
        for done in np.unique(self._dense_done[lagging]).tolist():
            group = lagging[self._dense_done[lagging] == done]
            self._dense_advance(group, max(upto, 2 * done))
        return rows

    # -- access ------------------------------------------------------------------------------------
    def head(self, steps: int = HEAD) -> npt.NDArray[np.int64]:
        """The first ``steps`` positions of every seat (-1 past the end of its list)."""
        if steps != self.HEAD:
            return self._sparse(np.arange(len(self.labels), dtype=np.intp), steps)
        if self._head is None:
            self._head = self._sparse(np.arange(len(self.labels), dtype=np.intp), self.HEAD)
        return self._head

    def at(
        self, seats: npt.NDArray[np.intp], steps: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """Position number ``steps[i]`` of seat ``seats[i]``'s order (-1 past its end)."""
        out = np.full(seats.shape[0], -1, np.int64)
        past = steps >= self.sizes[seats]
        row = self._dense_row[seats]
        have = (row >= 0) & ~past
        if have.any():  # already shuffled densely this far (e.g. prefetched)
            have[have] = self._dense_done[row[have]] > steps[have]
            out[have] = self._dense_out[row[have], steps[have]]
            past = past | have
        h = (steps < self.HEAD) & ~past
        if h.any():
            out[h] = self.head()[seats[h], steps[h]]
        m = (steps >= self.HEAD) & (steps < self.MIDDLE) & ~past
        if m.any():
            new = np.unique(seats[m][self._mid_row[seats[m]] < 0])
            if new.size:
                self._mid_row[new] = np.arange(self._mid.shape[0], self._mid.shape[0] + new.size)
                self._mid = np.concatenate([self._mid, self._sparse(new, self.MIDDLE)])
            out[m] = self._mid[self._mid_row[seats[m]], steps[m]]
        d = (steps >= self.MIDDLE) & ~past
        if d.any():
            rows = self._dense(seats[d], int(steps[d].max()) + 1)
            out[d] = self._dense_out[rows, steps[d]].astype(np.int64)
        return out

    def prefetch(self, seats: npt.NDArray[np.intp], steps: int) -> None:
        """Compute the first ``steps`` positions of ``seats`` now, in one vectorised pass."""
        seats = seats[self.sizes[seats] > self.HEAD]
        if seats.size == 0 or steps <= self.HEAD:
            return
        if steps <= self.MIDDLE:
            new = np.unique(seats[(self._mid_row[seats] < 0) & (self._dense_row[seats] < 0)])
            if new.size:
                self._mid_row[new] = np.arange(self._mid.shape[0], self._mid.shape[0] + new.size)
                self._mid = np.concatenate([self._mid, self._sparse(new, self.MIDDLE)])
            return
        self._dense(seats[self.sizes[seats] > self.MIDDLE], steps)

    def walker(self, seat: int) -> Iterator[int]:
        """Seat ``seat``'s whole permutation, one position at a time (the spec, literally)."""
        n = int(self.sizes[seat])
        swaps: dict[int, int] = {}
        buf: list[int] = []
        t = 0
        chunk = _CHUNK
        idx = np.array([seat], np.intp)

        def draw(m: int) -> int:
            nonlocal t, buf, chunk
            while True:
                if not buf:
                    buf = self.values(idx, t, t + chunk)[0].tolist()[::-1]
                    t += chunk
                    chunk = min(2 * chunk, 4096)
                u = uniform_below(buf.pop(), m)
                if u is not None:
                    return u

        for j in range(n):
            r = j + draw(n - j)
            vr = swaps.get(r, r)
            swaps[r] = swaps.get(j, j)
            yield vr
