"""CFF font programs (the outlines of an OpenType .otf) read back for the
tests, Python standard library only: an OpenType font's tables, a CFF
table's glyphs and their CIDs, each glyph's outline with its subroutines
expanded (the floor an embedded CFF subset is weighed against), a PDF
CMap's code-to-CID ranges, and an .otf written from a face of a .ttc."""
import re
import struct


def sfnt_directory(data, at=0):
    """{tag: (offset, length)} of the face whose table directory is at `at`."""
    count = struct.unpack(">H", data[at + 4:at + 6])[0]
    out = {}
    for i in range(count):
        tag, _, off, length = struct.unpack(">4sIII", data[at + 12 + 16 * i:at + 28 + 16 * i])
        out[tag.decode("latin1")] = (off, length)
    return out


def face_tables(path, index=0):
    """{tag: bytes} of face `index` of a font file or collection."""
    with open(path, "rb") as f:
        data = f.read()
    at = 0
    if data[:4] == b"ttcf":
        at = struct.unpack(">I", data[12 + 4 * index:16 + 4 * index])[0]
    return {t: data[o:o + n] for t, (o, n) in sfnt_directory(data, at).items()}, data[at:at + 4]


def write_otf(path, tables, version=b"OTTO"):
    """A single-face font file of these tables (checksums left 0: no
    reader here checks them)."""
    tags = sorted(tables)
    n = len(tags)
    p2 = 1
    while p2 * 2 <= n:
        p2 *= 2
    head = version + struct.pack(">HHHH", n, 16 * p2, p2.bit_length() - 1, 16 * n - 16 * p2)
    off = 12 + 16 * n
    dirs, body = b"", b""
    for t in tags:
        d = tables[t]
        dirs += struct.pack(">4sIII", t.encode("latin1"), 0, off + len(body), len(d))
        body += d + b"\0" * (-len(d) % 4)
    with open(path, "wb") as f:
        f.write(head + dirs + body)


def _index(c, p):
    """The items of the INDEX at p, and where it ends."""
    count = struct.unpack(">H", c[p:p + 2])[0]
    if count == 0:
        return [], p + 2
    size = c[p + 2]
    offs = [int.from_bytes(c[p + 3 + i * size:p + 3 + (i + 1) * size], "big") for i in range(count + 1)]
    base = p + 3 + (count + 1) * size - 1
    return [c[base + offs[i]:base + offs[i + 1]] for i in range(count)], base + offs[-1]


def _dict(b):
    """{operator: [operands]} of a DICT (12 x as 1200 + x; reals as 0)."""
    ops, stack, i = {}, [], 0
    while i < len(b):
        v = b[i]
        if v <= 21:
            op = 1200 + b[i + 1] if v == 12 else v
            i += 2 if v == 12 else 1
            ops[op], stack = stack, []
        elif v == 28:
            stack.append(struct.unpack(">h", b[i + 1:i + 3])[0])
            i += 3
        elif v == 29:
            stack.append(struct.unpack(">i", b[i + 1:i + 5])[0])
            i += 5
        elif v == 30:
            i += 1
            while (b[i] & 15) != 15 and (b[i] >> 4) != 15:
                i += 1
            i += 1
            stack.append(0)
        elif v <= 246:
            stack.append(v - 139)
            i += 1
        else:
            w = (v - 247 if v <= 250 else v - 251) * 256 + b[i + 1] + 108
            stack.append(w if v <= 250 else -w)
            i += 2
    return ops


def _bias(subrs):
    return 107 if len(subrs) < 1240 else 1131 if len(subrs) < 33900 else 32768


class Cff:
    """A CFF table: its glyphs' charstrings, each glyph's CID (the
    charset's in a CID-keyed font, else the glyph id) and its subroutines."""

    def __init__(self, c):
        self.data = c
        _, p = _index(c, c[2])                     # Name INDEX
        tops, p = _index(c, p)
        _, p = _index(c, p)                        # String INDEX
        self.gsubrs, _ = _index(c, p)
        top = _dict(tops[0])
        self.charstrings, _ = _index(c, top[17][0])
        n = len(self.charstrings)
        self.cid_keyed = 1230 in top
        # the charset: CIDs in a CID-keyed font, else glyph names (SIDs),
        # and then the CIDs a PDF reader uses are the glyph ids
        self.charset = self._charset(top[15][0], n) if top.get(15, [0])[0] > 2 else list(range(n))
        self.cids = self.charset if self.cid_keyed else list(range(n))
        dicts = [_dict(fd) for fd in _index(c, top[1236][0])[0]] if self.cid_keyed else [top]
        self.fd = self._fdselect(top[1237][0], n) if self.cid_keyed else [0] * n
        self.local, self.widths = [], []  # per font dict: Subrs; (defaultWidthX, nominalWidthX)
        for d in dicts:
            size, off = d.get(18, (0, 0))
            priv = _dict(self.data[off:off + size])
            self.local.append(_index(self.data, off + priv[19][0])[0] if 19 in priv else [])
            self.widths.append((priv.get(20, [0])[0], priv.get(21, [0])[0]))

    def _charset(self, p, n):
        c, fmt, out = self.data, self.data[p], [0]
        p += 1
        if fmt == 0:
            return out + list(struct.unpack(">%dH" % (n - 1), c[p:p + 2 * (n - 1)]))
        while len(out) < n:
            first = struct.unpack(">H", c[p:p + 2])[0]
            left = c[p + 2] if fmt == 1 else struct.unpack(">H", c[p + 2:p + 4])[0]
            p += 3 if fmt == 1 else 4
            out.extend(range(first, first + left + 1))
        return out[:n]

    def _fdselect(self, p, n):
        c, fmt = self.data, self.data[p]
        if fmt == 0:
            return list(c[p + 1:p + 1 + n])
        count = struct.unpack(">H", c[p + 1:p + 3])[0]
        out = [0] * n
        for i in range(count):
            first, fd = struct.unpack(">HB", c[p + 3 + 3 * i:p + 6 + 3 * i])
            end = struct.unpack(">H", c[p + 6 + 3 * i:p + 8 + 3 * i])[0]
            out[first:end] = [fd] * (end - first)
        return out

    def outline(self, gid):
        """The glyph's charstring with every subroutine call replaced by
        the subroutine's body: the outline itself, however it is stored."""
        return self._run(gid)[0]

    def advance(self, gid):
        """The glyph's advance width, in the units of its outline (a
        thousandth of the em in the fonts here): its charstring's width
        operand, an odd one out before the first operator that clears the
        stack (The Type 2 Charstring Format, 3.1), added to
        nominalWidthX, else defaultWidthX."""
        op, operands = self._run(gid)[1]
        expect = {1: 0, 3: 0, 18: 0, 23: 0, 19: 0, 20: 0, 21: 2, 22: 1, 4: 1, 14: 0}.get(op, 0)
        default, nominal = self.widths[self.fd[gid]]
        has_width = (len(operands) - expect) % 2 == 1 if op not in (14,) else len(operands) in (1, 5)
        return nominal + _number(operands[0]) if has_width else default

    def drawing(self, gid):
        """What the glyph draws: its operators and their operands' values,
        without the width and the hints (a subset made without hinting
        draws the same)."""
        ops = self._run(gid)[2]
        if ops:
            op, operands = ops[0]
            expect = {21: 2, 22: 1, 4: 1}.get(op, 0)
            if (op == 14 and len(operands) in (1, 5)) or (op != 14 and (len(operands) - expect) % 2):
                ops[0] = (op, operands[1:])
        return [(op, [_number(t) for t in operands]) for op, operands in ops
                if op not in (1, 3, 18, 23, 19, 20)]

    def _run(self, gid):
        out, state = [], {"stems": 0, "end": False, "stack": [], "first": None, "ops": []}
        self._expand(self.charstrings[gid], self.local[self.fd[gid]], out, state)
        out.extend(state["stack"])
        return b"".join(out), state["first"] or (14, []), state["ops"]

    def _expand(self, cs, local, out, state):
        i, stack = 0, state["stack"]  # the tokens (bytes) of the pending operands
        while i < len(cs) and not state["end"]:
            b = cs[i]
            if b == 28:
                stack.append(cs[i:i + 3])
                i += 3
            elif b >= 32:
                k = 1 if b <= 246 else 2 if b <= 254 else 5
                stack.append(cs[i:i + k])
                i += k
            elif b in (10, 29):  # callsubr, callgsubr: the number is the last operand
                subrs = local if b == 10 else self.gsubrs
                self._expand(subrs[_number(stack.pop()) + _bias(subrs)], local, out, state)
                i += 1
            elif b == 11:        # return
                break
            else:
                if b in (1, 3, 18, 23) or (b in (19, 20) and stack):
                    state["stems"] += len(stack) // 2
                if state["first"] is None:
                    state["first"] = (b, list(stack))
                state["ops"].append((1200 + cs[i + 1] if b == 12 else b, list(stack)))
                k = 2 if b == 12 else 1
                if b in (19, 20):
                    k += (state["stems"] + 7) // 8
                out.extend(stack)
                del stack[:]
                out.append(cs[i:i + k])
                i += k
                state["end"] = b == 14


def _number(tok):
    b = tok[0]
    if b == 28:
        return struct.unpack(">h", tok[1:3])[0]
    if b <= 246:
        return b - 139
    if b <= 250:
        return (b - 247) * 256 + tok[1] + 108
    if b <= 254:
        return -(b - 251) * 256 - tok[1] - 108
    return struct.unpack(">i", tok[1:5])[0] >> 16


def cmap_cid_ranges(text):
    """{code: CID} of a CMap's cidrange and cidchar entries."""
    out = {}
    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for lo, hi, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)", block):
            for k in range(int(lo, 16), int(hi, 16) + 1):
                out[k] = int(cid) + k - int(lo, 16)
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for code, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*(\d+)", block):
            out[int(code, 16)] = int(cid)
    return out


def cmap_glyphs(cmap, cps):
    """{cp: glyph id} of the characters a font's cmap table maps (its
    Unicode subtables: format 12, else format 4)."""
    count = struct.unpack(">H", cmap[2:4])[0]
    subs = {}
    for i in range(count):
        pid, eid, off = struct.unpack(">HHI", cmap[4 + 8 * i:12 + 8 * i])
        subs[struct.unpack(">H", cmap[off:off + 2])[0]] = off
    out = {}
    if 12 in subs:
        p = subs[12]
        n = struct.unpack(">I", cmap[p + 12:p + 16])[0]
        for i in range(n):
            lo, hi, g = struct.unpack(">III", cmap[p + 16 + 12 * i:p + 28 + 12 * i])
            out.update({cp: g + cp - lo for cp in cps if lo <= cp <= hi})
        return out
    p = subs[4]
    segs = struct.unpack(">H", cmap[p + 6:p + 8])[0] // 2
    arr = lambda k: struct.unpack(">%dH" % segs, cmap[p + 14 + k * (2 * segs) + (2 if k else 0):][:2 * segs])
    ends, starts, deltas, ranges = arr(0), arr(1), arr(2), arr(3)
    ro = p + 16 + 6 * segs
    for cp in cps:
        for s in range(segs):
            if starts[s] <= cp <= ends[s]:
                if ranges[s] == 0:
                    out[cp] = (cp + deltas[s]) & 0xFFFF
                else:
                    at = ro + 2 * s + ranges[s] + 2 * (cp - starts[s])
                    g = struct.unpack(">H", cmap[at:at + 2])[0]
                    out[cp] = (g + deltas[s]) & 0xFFFF if g else 0
                break
    return out


# The standard strings' SIDs of the letters and digits (CFF spec,
# Appendix A): the glyph names a name-keyed CFF's charset gives them.
def standard_sid(ch):
    if "A" <= ch <= "Z":
        return 34 + ord(ch) - ord("A")
    if "a" <= ch <= "z":
        return 66 + ord(ch) - ord("a")
    if "0" <= ch <= "9":
        return 17 + ord(ch) - ord("0")
    return None


def to_unicode(text):
    """{code: text} of a ToUnicode CMap's bfchar and bfrange entries."""
    out = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, u in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(code, 16)] = bytes.fromhex(u).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, u in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = bytes.fromhex(u).decode("utf-16-be")
            for k in range(int(lo, 16), int(hi, 16) + 1):
                out[k] = first[:-1] + chr(ord(first[-1]) + k - int(lo, 16))
    return out
