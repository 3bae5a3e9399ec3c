"""The unit registry as a gazetteer: resolving a lead or addressee as written to a unit.

Pure module (no Django). It reads only files inside the package: `dondoc/org/hanoi_units.csv` (Hanoi's current
units), `aliases.csv` (former units and their successors, spelling variants), `abbreviations.csv` (KH&ĐT, TN&MT,
GTVT ...) and `agencies.csv` (ministries and central or outside bodies that are recognised as agencies although
they are not Hanoi units).

Resolution statuses, and what the checker makes of them:

* ``current``   — a unit of the registry, written by full name, short name or abbreviation.
* ``successor`` — a unit that no longer exists and whose work passed to one registry unit (the 1 March 2025
  department mergers: Sở KH&ĐT → Sở Tài chính, Sở TN&MT and Sở NN&PTNT → Sở Nông nghiệp và Môi trường, Sở GTVT
  → Sở Xây dựng, Sở LĐTB&XH → Sở Nội vụ, Sở TT&TT → Sở Khoa học và Công nghệ ...). `name` is the successor.
* ``former``    — a unit that no longer exists and has no single successor: Hanoi's districts (quận, huyện, thị
  xã), abolished on 1 July 2025, whose territory went to several wards and communes; `successors` names those
  the registry knows (`org/hanoi_former_units.csv`).
* ``collective``— an open class ("các sở, ngành", "UBND các quận, huyện, thị xã", "các cơ quan liên quan").
* ``external``  — an agency recognised by its form but outside Hanoi's registry: a ministry (Bộ ...), another
  province (UBND tỉnh X), a central or sector body (Cục, Tổng cục, Công an Thành phố, a state corporation).
  Directives from the Government and other provinces address such bodies all the time, so "not in the registry"
  is only informational for them, never a broken rule.
* ``unknown``   — looks like a unit of the city (Sở ..., UBND phường ...) but matches nothing in the registry:
  this is the "addressee not in the registry" finding that counts as a broken rule.

A person title in front of a unit ("Giám đốc Sở Xây dựng", "Chủ tịch UBND quận Hoàng Mai", "Bộ trưởng Bộ Y tế")
resolves to the unit; the title is kept apart, because the accountable person matters for the dispatch.

When the document comes from outside Hanoi (`local=False`), a department name such as "Sở Y tế" means that
province's department, so it resolves as ``external`` under its own name instead of to Hanoi's unit.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dondoc.core.text import fold, nfc

HERE = Path(__file__).resolve().parent
UNITS_CSV = HERE.parent / "org" / "hanoi_units.csv"
FORMER_CSV = HERE.parent / "org" / "hanoi_former_units.csv"
ALIASES_CSV = HERE / "aliases.csv"
ABBREVIATIONS_CSV = HERE / "abbreviations.csv"
AGENCIES_CSV = HERE / "agencies.csv"

# Person titles that may precede a unit; longest first so "phó chủ tịch" wins over "chủ tịch".
TITLES = sorted(
    [
        "chu tich",
        "pho chu tich",
        "pho chu tich thuong truc",
        "giam doc",
        "pho giam doc",
        "thu truong",
        "bo truong",
        "chanh van phong",
        "chanh thanh tra",
        "truong ban",
        "pho truong ban",
        "tong giam doc",
        "tong cuc truong",
        "cuc truong",
        "vu truong",
        "hieu truong",
        "chi huy truong",
        "chu nhiem",
        "nguoi dung dau",
        "lanh dao",
        "dong chi",
        "thuong truc",
    ],
    key=len,
    reverse=True,
)

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_UBND = re.compile(r"\b(?:uy ban nhan dan|u\.?b\.?n\.?d\.?)\b")
_TP = re.compile(r"\bthanh pho\b|\btp\b\.?")
# An open class: "các"/"những" at the start, or before a kind of body or a level ("Sở GTVT các tỉnh", "Đoàn
# thanh niên các cấp"), not before what a named body looks after ("Ban Quản lý các khu công nghiệp"), nor "môi
# trường", which folds like "mọi trường" ("Sở Tài nguyên và Môi trường").
_COLLECTIVE = re.compile(
    r"^(?:cac|nhung|moi|tat ca)\s|\s(?:cac|nhung|moi(?! truong)|tat ca)\s+(?:cap|tinh|huyen|quan|xa|phuong|thi xa|thi tran|"
    r"thanh pho|tp|dia phuong|so|ban|nganh|bo|don vi|co quan|to chuc|doanh nghiep|hoi|doan|truong|benh vien|"
    r"thanh vien|lanh dao|chi cuc|cuc|phong|luc luong|doan the|ubnd)\b"
    r"|^(?:dia phuong|co quan|don vi(?! (?:tu van|thi cong|giam sat)\b))\b|\bcap (?:tinh|huyen|xa)\b|\bthanh vien\b"
    r"|^(?:can bo|cong chuc|vien chuc|nguoi lao dong|dang vien)\b"  # the staff, as a class
)
_EXTERNAL_HEADS = re.compile(
    r"^(?:bo|ubnd tinh|(?:ubnd )?tp\s+(?!ha noi)\w+|ubnd cap|don vi (?:tu van|thi cong|giam sat)|nha thau|chu dau tu|cuc|tong cuc|vu|ngan hang|nhnn|kho bac|kbnn|bhxh|cong an|bo chi huy|"
    r"bo tu lenh|quan khu|hiep hoi|tong cong ty|cong ty|tap doan|trung tam|vien|dai|bao|hoi|lien doan|"
    r"mat tran|uy ban|van phong|thanh tra|kiem toan|bao hiem|so .* tinh|ban|tinh uy|thanh uy|quoc hoi|"
    r"chinh phu|thu tuong|hdnd|hoi dong|doan|tinh doan|thanh doan|chi cuc|truong|benh vien|doi|phong|"
    r"ubnd (?:huyen|quan|thi xa|xa|phuong) .* tinh)\b"
)
_LOCAL_HEADS = re.compile(r"^(?:so|ubnd (?:phuong|xa|quan|huyen|thi xa)|phuong|xa)\b")


def canon_key(text: str) -> str:
    """A comparison key: folded, "Ủy ban nhân dân"→ubnd, "thành phố"→tp, and every space and sign removed.

    Removing spaces is what makes run-together source text ("BộCông Thương", "thành phố HàNội") match.
    """
    folded = fold(text).replace("&", " ")
    folded = _UBND.sub("ubnd", folded)
    folded = _TP.sub("tp ", folded)
    return _NON_ALNUM.sub("", folded)


def strip_title(text: str) -> tuple[str | None, str]:
    """Split "Giám đốc Sở Xây dựng" into ("Giám đốc", "Sở Xây dựng"); no title gives (None, text).

    Several titles ("Giám đốc, Thủ trưởng các sở") are all stripped; a lone title stays as the unit itself.
    """
    rest = nfc(text).strip()
    found: list[str] = []
    while True:
        folded = fold(rest)
        for title in TITLES:
            if folded.startswith(title + " ") or folded.startswith(title + ","):
                n_words = len(title.split())
                words = rest.split(None, n_words)
                if len(words) <= n_words:
                    return (", ".join(found) or None), rest
                found.append(" ".join(words[:n_words]).rstrip(","))
                rest = words[n_words].lstrip(", ")
                break
        else:
            return (", ".join(found) or None), rest


@dataclass(frozen=True)
class Unit:
    code: str
    abbr: str
    name: str
    kind: str
    parent: str


@dataclass(frozen=True)
class Resolution:
    written: str
    name: str
    status: str  # current | successor | former | collective | external | unknown
    code: str | None = None
    title: str | None = None
    note: str = ""
    successors: tuple[str, ...] = ()

    @property
    def in_registry(self) -> bool:
        return self.status in ("current", "successor")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [{k: nfc(v or "") for k, v in row.items()} for row in csv.DictReader(fh)]


class Registry:
    """Hanoi's units plus aliases, abbreviations and recognised outside agencies, indexed by `canon_key`."""

    def __init__(self) -> None:
        self.units: dict[str, Unit] = {}
        self.by_key: dict[str, tuple[str, str, str]] = {}  # key -> (status, code, note)
        self.abbreviations: dict[str, str] = {}
        self.agencies: dict[str, str] = {}  # key -> canonical name
        for row in _read(UNITS_CSV):
            unit = Unit(row["code"], row["abbr"], row["name"], row["kind"], row["parent"])
            self.units[unit.code] = unit
            for variant in self._variants(unit.name):
                if len(canon_key(variant)) >= 4 and canon_key(variant) != "ubnd":
                    self.by_key.setdefault(canon_key(variant), ("current", unit.code, ""))
            # Short codes such as SNV, STC are unambiguous; two-letter ones (VP, CT, CP) are not.
            if len(unit.abbr) >= 3 and unit.kind == "department":
                self.by_key.setdefault(canon_key(unit.abbr), ("current", unit.code, ""))
        for row in _read(ALIASES_CSV):
            status = row["status"]
            status = "current" if status == "variant" else ("successor" if status == "merged" else status)
            for variant in self._variants(row["name"]):
                self.by_key[canon_key(variant)] = (status, row["code"], row["note"])
        self.heirs: dict[str, tuple[str, ...]] = {}  # a former unit's key -> its successors' names
        for row in _read(FORMER_CSV):
            names = tuple(self.units[c].name for c in row["successors"].split() if c in self.units)
            for variant in self._variants(row["name"]):
                self.heirs[canon_key(variant)] = names
        for row in _read(ABBREVIATIONS_CSV):
            self.abbreviations[row["abbr"]] = row["expansion"]
        for row in _read(AGENCIES_CSV):
            self.agencies[canon_key(row["name"])] = row["name"]
        # "Sở KH&ĐT" and "Bộ TN&MT": an abbreviation after Sở/Bộ is the full name.
        for abbr, expansion in self.abbreviations.items():
            for head in ("Sở", "Bộ"):
                key = canon_key(f"{head} {abbr}")
                full = canon_key(f"{head} {expansion}")
                if head == "Sở" and full in self.by_key:
                    self.by_key.setdefault(key, self.by_key[full])
                elif head == "Sở":
                    self.by_key.setdefault(key, ("unknown", "", f"Sở {expansion}"))
                else:
                    self.agencies.setdefault(key, self.agencies.get(full, f"Bộ {expansion}"))

    @staticmethod
    def _variants(name: str) -> list[str]:
        """A unit name with and without the city's name ("UBND phường Láng" also as "phường Láng")."""
        out = [name]
        for suffix in (" Thành phố Hà Nội", " thành phố Hà Nội", " Hà Nội", " Thành phố"):
            if name.endswith(suffix) and len(name) > len(suffix) + 4:
                out.append(name[: -len(suffix)])
        if fold(name).startswith("ubnd "):
            out.append(name.split(" ", 1)[1])
        return out

    def expand(self, written: str) -> str:
        """Expand an abbreviation after Sở/Bộ: "Sở TN&MT" → "Sở Tài nguyên và Môi trường"; and one of four letters
        or more inside such a name: "Sở Nông nghiệp và PTNT" → "Sở Nông nghiệp và Phát triển nông thôn"."""
        match = re.match(r"^(Sở|Bộ|sở|bộ)\s+(\S+)$", written.strip())
        if match and match.group(2) in self.abbreviations:
            return f"{match.group(1).capitalize()} {self.abbreviations[match.group(2)]}"
        if re.match(r"^(?:Sở|Bộ)\s", written.strip()):
            words = written.split()
            inner = [self.abbreviations.get(w, w) if len(w) >= 4 and w.isupper() else w for w in words[1:]]
            return " ".join([words[0], *inner])
        return written

    def resolve(self, written: str, local: bool = True) -> Resolution:
        """Resolve one performer as written (one element of a lead list, not a whole list)."""
        written = re.sub(r"\s+([,;])", r"\1", " ".join(nfc(written).split())).strip(" ,;:.-–")
        title, unit_text = strip_title(written)
        key = canon_key(unit_text)
        folded = fold(unit_text)
        tidy = self.expand(unit_text)
        hit = self.by_key.get(key)
        if hit is None and tidy != unit_text and canon_key(tidy) in self.by_key:
            key = canon_key(tidy)  # an abbreviation inside the name ("Sở Nông nghiệp và PTNT")
            hit = self.by_key[key]
        if hit is None and key.endswith("hanoi"):
            hit = self.by_key.get(key[: -len("hanoi")])
        if hit is None and key.startswith("ubnd"):
            hit = self.by_key.get(key[len("ubnd") :])
        if hit is not None:
            status, code, note = hit
            if status == "unknown":
                return Resolution(written, note or tidy, "external" if not local else "unknown", None, title)
            if not local and status in ("current", "successor") and code not in ("H26", "CP", "TTG"):
                # Another province's department: it is that province's unit, not Hanoi's.
                return Resolution(written, tidy, "external", None, title, "outside Hanoi")
            if status == "former" or not code:
                heirs = self.heirs.get(key) or self.heirs.get(
                    key[len("ubnd") :] if key.startswith("ubnd") else ""
                )
                return Resolution(written, tidy, "former", None, title, note, heirs or ())
            unit = self.units.get(code)
            return Resolution(written, unit.name if unit else tidy, status, code, title, note)
        if key in self.agencies:
            return Resolution(written, self.agencies[key], "external", None, title)
        if _COLLECTIVE.search(folded) or folded.startswith("cac "):
            return Resolution(written, tidy, "collective", None, title)
        normal = _UBND.sub("ubnd", _TP.sub("tp ", folded))
        if re.search(r"\b(?:quan|phuong)\s+\d", normal):
            # Hanoi numbers none of its districts or wards: "UBND quận 5" is another city's.
            return Resolution(written, tidy, "external", None, title, "outside Hanoi")
        if local and _LOCAL_HEADS.match(normal) and not re.search(r"\btinh\b", normal):
            return Resolution(written, tidy, "unknown", None, title)
        if not local and _LOCAL_HEADS.match(normal):
            # Another province's department, district or commune ("UBND huyện Châu Phú" in An Giang's text).
            return Resolution(written, tidy, "external", None, title, "outside Hanoi")
        if _EXTERNAL_HEADS.match(normal):
            return Resolution(written, tidy, "external", None, title)
        return Resolution(written, tidy, "unknown", None, title)


def heir_keys(name: str) -> list[str]:
    """The keys a former unit is known by (with and without "UBND", the city's name)."""
    keys = [canon_key(v) for v in Registry._variants(name)]
    return keys + [k[len("ubnd") :] for k in keys if k.startswith("ubnd")]


def heirs_of(name: str, heirs: Mapping[str, tuple[str, ...]] | None) -> tuple[str, ...]:
    """The successors recorded for the former unit `name` in `heirs` (see `heir_keys`), or ()."""
    if not heirs:
        return ()
    return next((heirs[k] for k in heir_keys(name) if heirs.get(k)), ())


@lru_cache(maxsize=1)
def get_registry() -> Registry:
    return Registry()
