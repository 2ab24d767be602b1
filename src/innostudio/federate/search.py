"""The portal's Chinese search: a small n-gram index in JSON, split into shards fetched as needed.

Why not Pagefind (which the school site uses): its metadata file, loaded by every first search, grows with
the page count (109 KB at 1,000 studios), and merging 50 member indexes would load 50 of them. Here a
first search fetches ``search/meta.json`` (a few hundred bytes), one shard per distinct key of the query and
the record chunks of the results it shows; none of them grows with the number of members beyond the
posting lists of the query's own keys.

- Records: one per studio (name, unit, leader, fields, summary, status, member) then one per achievement
  (title, type, date, summary, studio, member), in the portal's order; ``search/r/<n>.json`` holds
  ``CHUNK`` of them (title, URL, kind, member, a short line).
- Keys: Han characters give their bigrams (``b`` shards) and single characters (``u`` shards, used only
  for a one-character run of the query); other words give their prefixes (``b`` shards, ``~`` prefix).
  No word segmenter: a bigram index finds any Chinese substring of two or more characters, whatever
  segmentation a browser would choose.
- Shards: FNV-1a (32 bit, over UTF-8) of the key modulo the shard count; a shard maps each key to its
  posting list of ascending record numbers, encoded as gaps, with a run of consecutive numbers as one
  negative token (:func:`encode`): a key found in every record (工作, 作室) costs a few bytes, not 2 a record.
  ``federation.js`` computes the same hash and decoding.
- A query looks up the bigrams of each Han run; a run longer than ``MAX_RUN`` characters looks up only a
  chain of bigrams that covers it (every other one, and the last), so a long query fetches few shards.
"""
from __future__ import annotations

import json
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator

from .view import Portal

CHUNK = 40  # records per chunk file
SHARD_TARGET = 24_000  # bytes of postings aimed at per shard
MAX_PREFIX = 12
MAX_RUN = 5  # Han runs up to this length look up all their bigrams
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")


def fnv1a(key: str) -> int:
    h = 0x811C9DC5
    for byte in key.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


_HAN_START = re.compile(rf"[{_HAN}]")


def _is_han(token: str) -> bool:
    return _HAN_START.match(token) is not None


def keys(text: str) -> tuple[set[str], set[str]]:
    """The keys of ``text``: bigrams and word prefixes (``b`` shards), single Han characters (``u`` shards).
    Sets: each record's number is added once per key, in record order, so their order does not matter."""
    bigrams: set[str] = set()
    chars: set[str] = set()
    for token in _TOKEN.findall(unicodedata.normalize("NFKC", text).lower()):
        if _is_han(token):
            chars.update(token)
            bigrams.update(map(operator.add, token, token[1:]))
        else:
            bigrams.update(["~" + token[:n] for n in range(1, min(len(token), MAX_PREFIX) + 1)])
    return bigrams, chars


def _records(portal: Portal) -> Iterator[tuple[dict[str, object], str]]:
    member_no = {m.id: i for i, m in enumerate(portal.members)}
    for s in portal.studios:
        line = " · ".join(x for x in (s.unit, s.leader, s.status_label) if x)
        text = " ".join((s.name, s.unit, s.leader, " ".join(s.fields), s.summary, s.status_label, s.member_name))
        yield {"t": s.name, "u": s.url, "m": member_no[s.member], "k": "工作室", "s": line}, text
    for a in portal.achievements:
        line = " · ".join(x for x in (a.studio_name, a.date) if x)
        text = f"{a.title} {a.type_label} {a.date} {a.summary} {a.studio_name} {a.member_name}"
        yield {"t": a.title, "u": a.url, "m": member_no[a.member], "k": a.type_label or "成果", "s": line}, text


def _shards(postings: dict[str, list[int]]) -> list[dict[str, list[int]]]:
    size = sum(len(k) * 3 + 4 + 4 * len(v) for k, v in postings.items())
    count = 1
    while count * SHARD_TARGET < size and count < 4096:
        count *= 2
    shards: list[dict[str, list[int]]] = [{} for _ in range(count)]
    for key in sorted(postings):
        ids = postings[key]
        shards[fnv1a(key) % count][key] = encode(ids)
    return shards


def encode(ids: list[int]) -> list[int]:
    """Ascending ``ids`` as tokens: ``g >= 0`` is the next number, ``g`` after the one after the last (the
    last starts at -1); ``-n`` is the next ``n`` consecutive numbers. [3, 4, 5, 10] -> [3, -2, 4]."""
    out: list[int] = []
    last = -1
    for number in ids:
        gap = number - last - 1
        if gap:
            out.append(gap)
        elif out and out[-1] < 0:
            out[-1] -= 1
        else:
            out.append(-1)
        last = number
    return out


def decode(tokens: Iterable[int]) -> list[int]:
    out: list[int] = []
    last = -1
    for token in tokens:
        if token >= 0:
            last += token + 1
            out.append(last)
        else:
            out.extend(range(last + 1, last + 1 - token))
            last -= token
    return out


def _dump(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def build_index(portal: Portal) -> dict[str, str]:
    """The index's files, by path under the portal (``search/...``)."""
    records: list[dict[str, object]] = []
    families: dict[str, dict[str, list[int]]] = {"b": defaultdict(list), "u": defaultdict(list)}
    bigram_lists, char_lists = families["b"], families["u"]
    for number, (record, text) in enumerate(_records(portal)):
        records.append(record)
        bigrams, chars = keys(text)
        for key in bigrams:
            bigram_lists[key].append(number)
        for key in chars:
            char_lists[key].append(number)
    files: dict[str, str] = {}
    counts = {}
    for family, postings in families.items():
        shards = _shards(postings)
        counts[family] = len(shards)
        for i, shard in enumerate(shards):
            files[f"search/{family}/{i}.json"] = _dump(shard)
    for start in range(0, len(records), CHUNK):
        files[f"search/r/{start // CHUNK}.json"] = _dump(records[start:start + CHUNK])
    meta = {"version": 1, "records": len(records), "studios": len(portal.studios), "chunk": CHUNK,
            "shards": counts, "members": [m.name for m in portal.members]}
    files["search/meta.json"] = _dump(meta)
    return files


def query_keys(query: str) -> list[tuple[str, str]]:
    """The keys a query looks up (as the browser script does): bigrams of each Han run (the character
    itself for a run of one), the word itself for other words (as a prefix)."""
    out: list[tuple[str, str]] = []
    for token in _TOKEN.findall(unicodedata.normalize("NFKC", query).lower()):
        if _is_han(token):
            out += [("u", token)] if len(token) == 1 else [("b", token[i:i + 2]) for i in _starts(len(token))]
        else:
            out.append(("b", "~" + token[:MAX_PREFIX]))
    return list(dict.fromkeys(out))


def _starts(n: int) -> list[int]:
    """Where the bigrams looked up for a Han run of ``n`` characters start: all of them for a short run,
    otherwise every other one and the last (still covering every character)."""
    if n <= MAX_RUN:
        return list(range(n - 1))
    return sorted({*range(0, n - 1, 2), n - 2})


def search(files: dict[str, str], query: str) -> list[int]:
    """Record numbers matching ``query`` in an index built by :func:`build_index` (the browser's algorithm,
    for tests)."""
    meta = json.loads(files["search/meta.json"])
    result: set[int] | None = None
    for family, key in query_keys(query):
        shard = json.loads(files[f"search/{family}/{fnv1a(key) % meta['shards'][family]}.json"])
        ids = set(decode(shard.get(key, [])))
        result = ids if result is None else result & ids
    return sorted(result or ())
