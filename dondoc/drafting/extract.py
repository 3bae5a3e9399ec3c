"""Extracting the task clauses of a directive (văn bản chỉ đạo): lead, coordinators, deadline, report, submit.

Pure module: no Django, no model, only rules and the unit registry as gazetteer (see `registry.py`).

How a text is read
------------------
1. Normalisation. The text is NFC-normalised; every pattern runs on an accent-folded copy of the same length
   (`fold_keep`: lower case, no diacritics, đ→d), so a match is also a span of the original and each task's
   `text` is an exact substring of the (NFC) input. Unit names are compared by `canon_key` (no spaces at all),
   which absorbs run-together source text ("BộCông Thương", "thành phố HàNội"); the tokenizer also splits a
   lower→upper case joint ("BộCông" → "Bộ", "Công").
2. Sentences. Soft-wrapped lines are joined into paragraphs; a paragraph is split into sentences at ". " before a
   capital letter (not after "TP." and other short capitals abbreviations) and into clauses at ";".
3. Task anchors (GUIDE §4.1). A task starts where a performer is assigned:
   * a trigger followed by a performer: "giao (trách nhiệm cho) X", "yêu cầu X", "đề nghị X", "chỉ đạo X" —
     only when what precedes the trigger in its clause is nothing, a connector ("Theo đó,") or the assigner
     itself ("UBND thành phố giao ...", "Phó Chủ tịch ... vừa yêu cầu ..."), so that "xử lý ... giao cho các quận
     quản lý" inside an action is not a new task, and "đã giao" (a recital of an earlier assignment) is not one;
   * a performer as the subject at the start of a clause: "Sở Y tế chủ trì ...", "Bộ Y tế khẩn trương ...";
     statements about documents ("X có văn bản", "X nhận được", "X vừa ban hành", "X xin thông báo") are not;
   * "X:" on a line of its own (or "giao X:" closing a paragraph) followed by bullets: every bullet is a task of
     X (GUIDE §4.1, a lead named once for several bullets);
   * a prohibition or a passive obligation with no agent ("Không tổ chức ...", "... phải được cụ thể hóa ...")
     in the operative part: a task with no lead (GUIDE §4.1, `no_lead`).
   Approvals ("Đồng ý ..."), promulgation, the execution clause ("chịu trách nhiệm thi hành") and the closing
   "... thông báo để ... biết, thực hiện" are never tasks (GUIDE §2.4).
4. A task's text runs to the end of its sentence (or to the next anchor in it) and takes along the following
   sentences that carry its date, report or submission without naming a new performer ("Yêu cầu gửi báo cáo về
   Sở KH&ĐT trước ngày 23/5/2019.", "Báo cáo gửi về ... chậm nhất ...").
5. Fields: the performer phrase is split into its members (`lead_list`) at top-level separators, with "các Sở:
   A, B" lists expanded; each member is resolved with the registry (title → unit, former → successor). The
   coordinators follow "phối hợp (với)", "cùng (với)", "với sự tham gia của", "thống nhất với" (GUIDE §4.2), and
   only before the performer's report/submission step, so that the superior's own partners are not taken.
   Report and submit follow the verb rule of GUIDE §4.5; deadlines are read by `deadlines.py`.
6. Issues are set mechanically as in GUIDE §4.7, plus two product checks done in `checks.py`.

Addressees outside Hanoi's registry: ministries, other provinces and central bodies are recognised as agencies
(status ``external``); for them "not in the registry" is informational, never a broken rule. A unit that looks
like a city unit but is unknown (a "Sở ..." or "UBND phường ..." that the registry lacks) is a broken rule.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from dondoc.core.text import nfc
from dondoc.drafting import clausemodel, taskmodel
from dondoc.drafting import deadlines as dl
from dondoc.drafting.deadlines import Deadline, fold_keep
from dondoc.drafting.reader import Metadata, read_metadata
from dondoc.drafting.registry import TITLES as _TITLE_STRINGS
from dondoc.drafting.registry import Resolution, canon_key, get_registry
from dondoc.workdays.arith import WorkCalendar

# ---------------------------------------------------------------------------------------------------------------
# Tokens


@dataclass(frozen=True)
class Tok:
    start: int
    end: int
    text: str
    f: str  # folded

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper() or self.text[:1].isdigit()

    @property
    def word(self) -> bool:
        return self.text[:1].isalnum()


_TOKEN = re.compile(r"[^\W_]+(?:[&][^\W_]+|-(?=[^\W\d_]{1,4}\b)[^\W_]+)*|\S")


def tokenize(text: str, folded: str, start: int = 0, end: int | None = None) -> list[Tok]:
    end = len(text) if end is None else end
    out: list[Tok] = []
    for m in _TOKEN.finditer(text, start, end):
        s, e = m.start(), m.end()
        # "BộCông", "HàNội": a capital right after a small letter begins a new word.
        word = m.group(0)
        cuts = [s]
        if not word[1:].islower() and len(word) > 1:
            cuts.extend(s + i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower())
        cuts.append(e)
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b - a >= 5 and not text[a:b].isascii():
                for c in _syllable_cuts(folded[a:b].lower()):
                    out.append(Tok(a, a + c, text[a : a + c], folded[a : a + c]))
                    a += c
            out.append(Tok(a, b, text[a:b], folded[a:b]))
    return out


# Words run together in the source ("cơ quanthuộc", "phốihợp", "Hà Nộikhẩn"): a Vietnamese syllable has one
# vowel nucleus, so a word with two nuclei is cut where the consonants between them split into a final
# consonant and an initial one. Only words written with diacritics are looked at (codes, e-mail addresses and
# foreign names are left alone); the cut is found on the folded text (no diacritics, đ→d).
_NUCLEUS = re.compile(r"[aeiouy]+")
_ONSETS = frozenset("b c ch d g gh gi h k kh l m n ng ngh nh p ph q r s t th tr v x".split())
_CODAS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])


@lru_cache(maxsize=50000)
def _syllable_cuts(word: str) -> tuple[int, ...]:
    """Lengths of the leading syllables of a run-together word (empty when it is one syllable)."""
    if not word.isalpha():
        return ()
    nuclei = [m.span() for m in _NUCLEUS.finditer(word)]
    if len(nuclei) < 2:
        return ()
    out: list[int] = []
    last = 0
    for (_s1, e1), (s2, _e2) in zip(nuclei, nuclei[1:], strict=False):
        cons = word[e1:s2]
        for k in range(len(cons) + 1):
            if cons[:k] in _CODAS and cons[k:] in _ONSETS:
                out.append(e1 + k - last)
                last = e1 + k
                break
        else:
            return ()  # not a Vietnamese spelling: leave it
    return tuple(out)


# ---------------------------------------------------------------------------------------------------------------
# Vocabulary

_TITLES = sorted(
    [t.split() for t in _TITLE_STRINGS if t not in ("thuong truc", "lanh dao")]
    # the Party's secretaries head their committee as a chairman heads a council ("Bí thư cấp ủy chịu trách
    # nhiệm chỉ đạo …", "Bí thư Đảng ủy xã"); the registry strips only the state's titles from a unit's name
    + [["bi", "thu"], ["pho", "bi", "thu"], ["pho", "bi", "thu", "thuong", "truc"]],
    key=len,
    reverse=True,
)
_HEADS = sorted(
    (
        h.split()
        for h in (
            "so",
            "bo",
            "ubnd",
            "uy ban",
            "uy ban nhan dan",
            "van phong",
            "cong an",
            "thanh tra",
            "ban",
            "cuc",
            "tong cuc",
            "ngan hang",
            "kho bac",
            "hiep hoi",
            "tong cong ty",
            "cong ty",
            "trung tam",
            "vien",
            "dai",
            "lien doan",
            "mat tran",
            "thanh uy",
            "tinh uy",
            "hdnd",
            "hoi dong nhan dan",
            "chinh phu",
            "thu tuong",
            "thu tuong chinh phu",
            "quoc hoi",
            "kiem toan",
            "bao hiem",
            "bhxh",
            "kbnn",
            "doi",
            "doan",
            "bo chi huy",
            "bo doi",
            "hat kiem lam",
            "bo tu lenh",
            "quan khu",
            "tap doan",
            "phong",
            "tp",
            "thanh pho",
            "hoi",
            "tinh doan",
            "thanh doan",
        )
    ),
    key=len,
    reverse=True,
)
_PARTY_GROUPS = [["ban", "can", "su", "dang"], ["dang", "doan"], ["ban", "thuong", "vu"]]
_PARTY_UNITS = [["cap", "uy", "co", "so"], ["cap", "uy"], ["chi", "bo"], ["dang", "uy"]]
# The parties to a project, named by their role ("Đơn vị tư vấn lập hồ sơ ..."): one body each, without "các".
_ROLES = sorted(
    (
        r.split()
        for r in (
            "don vi tu van",
            "don vi thi cong",
            "don vi giam sat",
            "nha thau",
            "nha thau thi cong",
            "chu dau tu",
            # the staff of the bodies concerned, asked as a class ("yêu cầu cán bộ, công chức, viên chức …")
            "can bo",
            "cong chuc",
            "vien chuc",
            "nguoi lao dong",
            "dang vien",
        )
    ),
    key=len,
    reverse=True,
)
_ALWAYS_HEADS = {"ubnd"}  # heads that name a unit even in small letters
_COLL_START = [
    ["cac"],
    ["toan", "nganh"],  # "toàn ngành Y tế": a whole sector, every body of it
    ["toan", "the"],  # "toàn thể cán bộ, công chức"
    ["nhung"],
    ["tat", "ca"],
    ["lanh", "dao", "cac"],
    ["dia", "phuong"],
    ["co", "quan"],
    ["don", "vi"],
    ["so", ",", "nganh"],  # "sở, ngành chức năng" without "các": still the open class
    ["so", ",", "ban"],
]
_COLL_VOCAB = set(
    (
        "so ban nganh bo co quan don vi dia phuong huyen thi xa thanh pho tinh tran hoi doan the to chuc doanh "
        "nghiep lien chuc nang chuyen mon truc thuoc trung uong ngang chinh phu ubnd uy nhan dan cap vien luc "
        "luong vu trang phong qlda khu cum cac tp sgtvt thanh vien ca nuoc lien quan quan ly du an tri the thon xom "
        "phuong"
    ).split()
)
# First syllables of the open class's two-syllable words that are other words on their own ("địa bàn", "thành lập").
_COLL_PAIRS = {
    "dia": ("phuong",),
    "thanh": ("pho", "vien"),
    "thi": ("xa", "tran"),
    "truc": ("thuoc",),
    "to": ("chuc",),
    "doanh": ("nghiep",),
    "nhan": ("dan",),
    "ca": ("nhan", "nuoc"),  # "các tổ chức, cá nhân có liên quan", "cả nước"
    "chuc": ("nang",),
    "chuyen": ("mon",),
}
# Kinds of performers beyond the administration, named as an open class ("các trường học", "các bệnh viện", "các
# chủ đầu tư", "các cơ sở giáo dục"): multi-word nouns whose syllables are other words on their own.
_KINDS = [
    s.split()
    for s in (
        "truong hoc",
        "truong",
        "benh vien",
        "chu dau tu",
        "nha thau",
        "ho gia dinh",
        "ho dan",
        "co so giao duc",
        "co so y te",
        "co so",
        "nha truong",
        "hieu truong",
        "ban quan ly",
        "ban quan ly du an",
        "hat kiem lam",
        "to chuc tin dung",
        "don vi su nghiep cong lap",
        "don vi su nghiep",
        "su nghiep cong lap",  # "các đơn vị sự nghiệp công lập trực thuộc UBND tỉnh"
        "su nghiep",
    )
]
_KINDS.sort(key=len, reverse=True)
# Class words whose folded form is also another common word: only the marked spelling is the class word.
_TONED = {"so": "sở", "bo": "bộ", "phuong": "phường"}  # "phường" (a ward), not "phương án", "phương tiện"
# Heads of boards, departments and teams whose names describe their work in small letters ("Ban Chỉ đạo phòng
# chống dịch", "Cục Quản lý thị trường", "Đoàn kiểm tra liên ngành"); centres, institutes, stations, offices and
# associations carry capitalised proper names ("Trung tâm Kiểm soát bệnh tật", "Đài Phát thanh và Truyền hình").
_DESCRIBED_HEADS = {"ban", "cuc", "doan", "tong cuc", "chi cuc", "trung tam"}
# Heads whose names are common words with the first one capitalised ("Sở Xây dựng", "Ban Xúc tiến và Hỗ trợ đầu
# tư"), not place names ("UBND tỉnh Quảng Ninh", where a small word after the name is the verb).
_COMMON_NOUN_HEADS = {"so", "bo", "ban", "cuc", "tong cuc", "vu", "phong", "trung tam", "vien", "doan", "doi"}
# First syllables of verbs that may follow such a name and are not in _STOP ("kiến nghị", "tổng hợp", "xây dựng").
_RUN_STOP = set("kien tong xay van tuyen don dam cung quan rut giam tuan bo de".split())
# Words of the open class that are also the verb after it ("tổ chức", "đơn vị" is never a verb but "tổ chức" is).
_VERB_NOUNS = {"to"}
# Second syllables of the open class's words that are other words on their own ("chức năng" / "nâng cao").
_PAIR_SECOND = {"nang": "chuc", "mon": "chuyen", "nghiep": "doanh", "phuong": "dia"}
# Adverbs that open a predicate ("Thường xuyên tổng hợp", "Khẩn trương rà soát"): never a name's next word, even when
# a copy capitalises them after the performer.
_ADVERB_PAIRS = {("thuong", "xuyen"), ("khan", "truong"), ("tiep", "tuc"), ("kip", "thoi"), ("truc", "tiep")}


def _adverb_at(toks: list[Tok], j: int) -> bool:
    return j + 1 < len(toks) and (toks[j].f, toks[j + 1].f) in _ADVERB_PAIRS


_NAME_VOCAB = set(
    "va nhan dan tinh thanh pho quan huyen xa phuong thi tran nha nuoc trung uong tp cap".split()
)
_STOP = set(
    (
        "chu phoi cung co la thuc chiu theo khan tiep chi nghien xem ra bao to trien kiem tang chuan hoan tham danh "
        "giai thong lap tien can phai de ve tai trong tren doi voi khi nham gui trinh huong truc thuong nghiem kip "
        "ngay duoc da vua se dang ky nhan thua thay lam xu tap day khac phan uu som cho nhu sau neu"
    ).split()
)
# Verbs that follow a performer's name directly ("... Nguyễn Xuân Phúc giao Bộ ..."): never part of a name.
_VERB_WORDS = set("giao yeu de chi bao xay sua gui nop lap xu tra hop duyet ky rut dieu giam".split())
# How those verbs are spelt with their tones: the same letters with another tone are another word ("Ban Tuyên giáo"
# is not "giao", "giảm" is a verb but "giám" in "Ban Giám hiệu" is not).
_VERB_SPELLINGS = {
    "giao": {"giao"},
    "yeu": {"yêu"},
    "de": {"đề", "để"},
    "chi": {"chỉ"},
    "bao": {"báo", "bảo"},
    "xay": {"xây"},
    "sua": {"sửa"},
    "gui": {"gửi"},
    "nop": {"nộp"},
    "lap": {"lập"},
    "xu": {"xử"},
    "tra": {"trả", "tra"},
    "hop": {"họp"},
    "duyet": {"duyệt"},
    "ky": {"ký", "kí"},
    "rut": {"rút"},
    "dieu": {"điều"},
    "giam": {"giảm", "giám"},
}


def _verb_word(tok: Tok) -> bool:
    """One of _VERB_WORDS spelt as the verb (tones included)."""
    return tok.text.lower() in _VERB_SPELLINGS.get(tok.f, ())


_CONNECTORS = re.compile(
    r"^(?:theo do|trong do|dong thoi|ben canh do|ngoai ra|cu the|sau do|ve viec nay|sau khi xem xet|tiep do"
    r"|vi vay|do vay|do do|vi the|tren co so do"
    r"|\([^()]{2,20}\)\s*[-–](?=\s)|[a-z][a-z0-9&.]{2,18}\s+[-–](?=\s)"  # news dateline: "Kinhtedothi - ", "(PLVN) - "
    r"|\([a-z][a-z0-9&.]{1,10}\)(?=\s+[a-z]))\s*,?\s*"  # a paper's mark with no dash: "(LG) Ủy ban ..."
)
_MARKER = re.compile(r"^\s*(?:[-–—•+*]+|\(?\d{1,2}(?:\.\d{1,2})*[.)]|\(?[a-zđ][).]|dieu \d+\.?)\s*")
_TRIGGER = re.compile(
    r"\b(giao\s*trach\s*nhiem\s*(?:cu\s*the\s*)?(?:cho\s*)?|giao\s*nhiem\s*vu\s*(?:va\s*phan\s*cong\s*)?(?:cho\s*)?"
    r"|phan\s*cong\s*(?:cho\s*)?|giao\s*cho|giao|"
    r"yeu\s*cau|de\s*nghi|chi\s*dao(?:\s+(?:ro|cu the))?(?:\s+cho)?(?=\s+[a-z]+\s+[a-z])|chi\s*dao|(?<=co )(?:van\s*ban|cong\s*van|cong\s*dien)(?:\s+hoa toc|\s+khan)?\s+(?:gui|toi)"
    r"yeu\s*cau|de\s*nghi|chi\s*dao|(?:(?<=co )|(?<=ban hanh ))(?:van\s*ban|cong\s*van|cong\s*dien)(?:\s+hoa toc|\s+khan)?"
    r"\s+(?:gui(?:\s+(?:toi|den))?|toi)"
    r"(?=\s+\S+[^.;]{0,120}\b(?:yeu\s*cau|de\s*nghi)\s+(?!cua\b))"
    # "… có công điện hỏa tốc gửi các đơn vị ứng phó …": the addressees, then what they must do
    r"|(?:(?<=co )|(?<=ban hanh ))(?P<sent>(?:van\s*ban|cong\s*van|cong\s*dien|dien\s*khan)(?:\s+hoa toc|\s+khan)?"
    r"\s+gui(?:\s+(?:toi|den))?))(?:\s*,)?\s+"  # "Bộ GD&ĐT đề nghị, Sở GD&ĐT phổ biến …": a comma after the verb
)
_RECITAL_VERB = re.compile(
    r"^\s*(?:\(|vua\s+(?:co|ban hanh|ky)|da\s+(?:co|ban hanh|giao|ky)|co\s+(?:van ban|cong van|y kien|to trinh|bao cao)|"
    r"nhan duoc|ban hanh|xin thong bao|thong bao|du kien|cho biet|neu ro|gui kem|tai (?:cong van|van ban)|"
    r"luu y|nhan manh|khang dinh|danh gia|phat bieu|chi ro|ghi nhan|bieu duong|phe binh|"  # the speaker's own words
    r"so\b|ngay\b|ve viec|de nghi cua|:\s*$|,|\.|$)"
)
_BOILER = re.compile(
    # "… thông báo để các cơ quan biết, thực hiện", not "UBND xã thông báo đề nghị các hộ …" (an order announced)
    r"thong bao de\b(?!\s*nghi\b)|chiu trach nhiem thi hanh|ban hanh kem theo"
    # the same closing with the addressees asked only to know: "thông báo đề nghị … biết và hưởng ứng / thực hiện"
    r"|thong bao (?:de nghi|den|toi)\b[^.;]{0,250}\bbiet\s*(?:,|va)\s*(?:huong|thuc hien)\b"
    # the execution clause of a decision in its other wordings ("… căn cứ Quyết định thi hành", "thi hành Quyết
    # định này")
    r"|can cu (?:quyet dinh|chi thi)(?: nay)? (?:de )?thi hanh|thi hanh (?:quyet dinh|chi thi) nay"
    r"|^\s*(?:noi nhan|kinh gui|v/v|so:|luu:|nhu tren)"
    r"|cong hoa xa hoi chu nghia|doc lap\s*[-–]\s*tu do"
)
_ASSIGNER_START = re.compile(
    r"^(?:ong|ba|dong chi|pho thu tuong|thu tuong|chu tich|pho chu tich|ubnd|uy ban|bo|van phong|thanh uy|thuong truc"
    r"|lanh dao|thanh pho|tp|tinh|ban chi dao|chinh phu|so|cuc|tong cuc"
    # other titles that give orders, and the document itself as the speaker ("Công điện yêu cầu ...")
    r"|giam doc|pho giam doc|bi thu|pho bi thu|truong ban|thu truong|cuc truong|tong cuc truong|vu truong|chanh van phong"
    r"|thong doc|pho thong doc|tong giam doc|chu nhiem"
    r"|chanh thanh tra|nguoi dung dau|ban thuong vu|ban can su|dang uy|huyen uy|quan uy"
    # the Front, mass organisations and the armed forces give orders to their own members and units
    r"|ban thuong truc|uy ban mat tran|uy ban mttq|mttq|mat tran to quoc|hoi (?:nong dan|lien hiep phu nu|lhpn"
    r"|cuu chien binh|chu thap do)|tinh doan|thanh doan|ban bi thu|lien doan lao dong|cong doan"
    r"|bo chi huy|bo tu lenh|bo chqs|cong an"
    # public bodies below a department that direct their own units ("Chi cục Kiểm lâm vừa có công văn yêu cầu các
    # Hạt Kiểm lâm …", "Ban Chỉ huy phòng chống thiên tai tỉnh đã có thông báo yêu cầu …")
    r"|chi cuc|ban chi huy|ban quan ly|trung tam|tong cong ty|tap doan|kho bac|bao hiem xa hoi|bhxh"
    # an officer of the armed forces or the police by rank ("đại tá Việt yêu cầu …")
    r"|(?:dai|thuong|trung|thieu) (?:ta|tuong))\b"
)
# The work fronted before a passive "giao (cho)": "Nhiệm vụ này giao cho Sở Tài chính thực hiện".
_FRONTED_WORK = re.compile(
    r"(?:cac\s+)?(?:nhiem vu|noi dung|cong viec|viec)(?:\s+(?:nay|tren|neu tren|do))?(?:\s+duoc)?"
)
# The document itself as the one who asks ("Công điện yêu cầu ...", "Văn bản số 12 đề nghị ..."); never with "giao",
# where "văn bản giao nhiệm vụ" is a noun phrase (a letter that assigns), not a clause.
_DOC_SPEAKER = re.compile(
    r"(?:cong van|van ban|cong dien|chi thi|ke hoach|thong bao|quyet dinh|thong bao ket luan)"
    r"(?:\s+(?:so\s+\S+|nay|tren))?(?:\s+(?:cung|con|da))?"
)
_NO_LEAD = re.compile(r"^(?:khong|nghiem cam|cam)\s|\b(?:phai|can)\s+duoc\b")
_OPERATIVE = re.compile(r"(?:nhu sau|chi dao|yeu cau|de nghi)\s*:|co y kien|chi dao nhu sau")


_BY_FIRST: dict[int, dict[str, list[list[str]]]] = {}


def _match_seq(toks: list[Tok], i: int, seqs: list[list[str]]) -> int:
    """Length of the longest word sequence of `seqs` starting at token i (0 if none)."""
    if i >= len(toks):
        return 0
    index = _BY_FIRST.get(id(seqs))
    if index is None:
        index = {}
        for seq in seqs:
            index.setdefault(seq[0], []).append(seq)
        _BY_FIRST[id(seqs)] = index
    for seq in index.get(toks[i].f, ()):
        n = len(seq)
        if i + n <= len(toks) and all(toks[i + k].f == seq[k] for k in range(1, n)):
            return n
    return 0


# ---------------------------------------------------------------------------------------------------------------
# Performer phrases


@dataclass
class Phrase:
    start: int  # char span of the whole phrase
    end: int
    items: list[tuple[int, int]] = field(default_factory=list)  # char spans of the members
    names: list[str] = field(default_factory=list)  # members as names (colon lists expanded)
    end_tok: int = 0
    collective: bool = False
    siblings: set[int] = field(
        default_factory=set
    )  # members that share the one before's council ("…, Quảng Bình")

    def as_written(self, text: str) -> list[str]:
        """The members as written, a council with its sibling places as one ("UBND huyện Long Mỹ, TP Vị Thanh")."""
        out: list[str] = []
        group_from = 0
        for k, name in enumerate(self.names):
            if k in self.siblings and out and k < len(self.items):
                out[-1] = text[group_from : self.items[k][1]]
                continue
            group_from = self.items[k][0] if k < len(self.items) else 0
            out.append(name)
        return out


@lru_cache(maxsize=20000)
def _ckey(word: str) -> str:
    return canon_key(word)


class _Gazetteer:
    """Longest match of a known unit or agency name at a token, on space-free keys."""

    def __init__(self) -> None:
        reg = get_registry()
        keys = set(reg.by_key) | set(reg.agencies)
        self.keys = {k for k in keys if len(k) >= 4}
        self.prefixes = {k[:n] for k in self.keys for n in range(1, len(k) + 1)}

    def match(self, toks: list[Tok], i: int, prefix: str = "") -> int:
        """Number of tokens of the longest known name at i (0 if none)."""
        key = canon_key(prefix) if prefix else ""
        best = 0
        for j in range(i, min(len(toks), i + 16)):
            piece = _ckey(toks[j].text)
            if not piece:
                if toks[j].text in "-–&.":
                    continue
                break
            key += piece
            if key not in self.prefixes:
                break
            if key in self.keys:
                best = j - i + 1
        return best


_GAZ: _Gazetteer | None = None


def _gaz() -> _Gazetteer:
    global _GAZ
    if _GAZ is None:
        _GAZ = _Gazetteer()
    return _GAZ


# The text being read, per thread: the web server reads drafts in several threads at once.
_SOURCE = threading.local()


def _strict() -> bool:
    """The hand filters apply: not the loose reading that proposes the task model's candidates."""
    return not getattr(_SOURCE, "loose", False)


def _span_text(toks: list[Tok], a: int, b: int) -> str:
    """The original text of tokens a..b-1, whitespace collapsed."""
    return " ".join(_SOURCE.text[toks[a].start : toks[b - 1].end].split())


# Cardinal numbers written as words ("hai tỉnh", "ba bộ"); "năm" (five, and year) only before a class noun.
_NUMBER_WORDS = {"hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi"}
_COUNTED_KINDS = ("tinh", "bo", "dia", "so", "thanh", "huyen", "don", "co", "nganh", "xa", "benh", "quan")


def _counted_class(toks: list[Tok], i: int) -> bool:
    """A number of bodies of one kind ("2 tỉnh", "63 tỉnh, thành phố", "12 bộ, ngành", "ba bộ"): an open class."""
    if i + 1 >= len(toks) or toks[i + 1].cap or toks[i + 1].f not in _COUNTED_KINDS:
        return False
    if toks[i + 1].f in _TONED and toks[i + 1].text.lower() != _TONED[toks[i + 1].f]:
        return False  # "ba bố", "hai số": the tone marks tell them from "bộ", "sở"
    if toks[i].text.isdigit():
        return len(toks[i].text) <= 3
    return toks[i].f in _NUMBER_WORDS and (
        toks[i + 1].f != "benh" or i + 2 < len(toks) and toks[i + 2].f == "vien"
    )


_NAME_RUN = r"[A-ZĐÀ-Ỹ][^\W\d_]*(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]*)*"


def _counted_referents(text: str, s: int, ph: Phrase) -> list[str]:
    """The bodies "2 tỉnh" refers to when the sentence named them before ("với các tỉnh Kiên Giang, Tiền Giang,
    Thủ tướng yêu cầu 2 tỉnh ..."): the anaphora's referents (GUIDE §4.1), else []."""
    m = re.match(r"(\d{1,2})\s+(\w+)$", text[ph.start : ph.end])
    if not m or len(ph.names) != 1:
        return []
    n, cls = int(m.group(1)), m.group(2)
    for lm in re.finditer(
        rf"\b(?i:{re.escape(cls)})\s+({_NAME_RUN}(?:\s*(?:,|và)\s*{_NAME_RUN})*)", text[s : ph.start]
    ):
        names = [x.strip() for x in re.split(r"\s*(?:,|\bvà\b)\s*", lm.group(1)) if x.strip()]
        if len(names) >= n and all(len(x.split()) >= 2 for x in names[:n]):
            return names[:n]
    return []


def _asked_role(toks: list[Tok], i: int) -> bool:
    """A party to a project named by its role in small letters right after an asking verb ("yêu cầu nhà thầu",
    "giao chủ đầu tư"): the role stands for whoever holds it, an open class (GUIDE §4.3)."""
    if toks[i].cap or not _match_seq(toks, i, _ROLES):
        return False
    return i >= 1 and toks[i - 1].f == "giao" or i >= 2 and _asks(toks, i - 2) and toks[i - 2].f != "giao"


def _starts_agency(toks: list[Tok], i: int) -> bool:
    if i >= len(toks):
        return False
    if _counted_class(toks, i):
        return True
    if _match_seq(toks, i, _TITLES) or _match_seq(toks, i, _COLL_START):
        return True
    if toks[i].cap and _match_seq(toks, i, _PARTY_GROUPS):
        return True  # "Đảng đoàn Hội Nông dân tỉnh", "Ban Cán sự đảng UBND tỉnh": the Party group of a body
    if (
        toks[i].text.lower() in ("mỗi", "mọi")
        and i + 1 < len(toks)
        and (toks[i + 1].f in _COLL_VOCAB or _match_seq(toks, i + 1, _KINDS))
    ):
        return True  # "mỗi cơ sở Đoàn", "mọi cơ quan, đơn vị": each or every body of a class (not "mới", new)
    if _asked_role(toks, i):
        return True  # "yêu cầu nhà thầu đẩy nhanh …", "giao chủ đầu tư …": a project's party, asked
    n = _match_seq(toks, i, _HEADS)
    if (
        n
        and toks[i].f == "so"
        and i + 1 < len(toks)
        and (toks[i + 1].text in (":", ".") or toks[i + 1].text[:1].isdigit())
    ):
        return False  # "Số: 5579/VPCP-KTN" is a number, not a Sở
    if n and toks[i].f == "so" and toks[i].text.lower() not in ("sở", "so"):
        return False  # "Số liệu ...", "Sổ ...": the tone marks tell them from "Sở"
    if n == 1 and toks[i].text.lower() not in _HEAD_SPELLING.get(toks[i].f, (toks[i].text.lower(),)):
        return False  # "Bố trí", "Bổ sung", "Bàn giao", "Bản đồ", "Đại hội", "Viên chức": not "Bộ", "Ban", "Đài", "Viện"
    if (
        n == 1
        and toks[i].text == "Phòng"
        and i + 1 < len(toks)
        and toks[i + 1].word
        and not toks[i + 1].cap
        and not _level(toks, i + 1)
    ):
        return False  # "Phòng chống dịch …", "Phòng ngừa …": the verb; an office's name is capitalised
    if n and toks[i].f == "doan" and toks[i].text != "Đoàn":
        return False  # "Đoạn ...", "đoàn thể": only "Đoàn" heads a team
    if n and toks[i].f == "hoi" and (toks[i].text != "Hội" or i + 1 >= len(toks) or not toks[i + 1].cap):
        return False  # "Hỏi ...", "Hội nghị": only "Hội" and a name in capitals is an association ("Hội Nông dân")
    if n and toks[i].f == "doi" and (toks[i].text != "Đội" or i + 1 < len(toks) and toks[i + 1].f == "ngu"):
        # "Đối với ...", "Đổi mới ...": only "Đội" is a unit (a team, "Đội Thanh tra xây dựng"); "Đội ngũ cán bộ"
        # is a body's staff, no unit
        return False
    return bool(n) and (toks[i].cap or toks[i].f in _ALWAYS_HEADS or _small_head(toks, i, n))


# Heads written in small letters inside a sentence ("phối hợp với phòng Nông nghiệp và PTNT", "sở Y tế"): spelled
# with their tone marks, so that "bỏ", "bố", "phong" are not read as heads.
# One-word heads whose folded form is also another word: only these spellings are the head.
_HEAD_SPELLING = {"bo": ("bộ", "bo"), "ban": ("ban",), "dai": ("đài",), "vien": ("viện",)}
_SMALL_HEADS = {"phòng", "sở", "bộ", "ban", "cục", "trung tâm", "văn phòng", "chi cục", "công an"}


def _small_head(toks: list[Tok], i: int, n: int) -> bool:
    """A head in small letters names a body when a capitalised word (not an abbreviation) follows it directly, or
    an open class of places it stands in ("công an các đơn vị, địa phương", "sở y tế các tỉnh")."""
    if " ".join(t.text for t in toks[i : i + n]) not in _SMALL_HEADS or i + n >= len(toks):
        return False
    name = toks[i + n].text
    if toks[i + n].f == "cac" and name == "các":
        return i + n + 1 < len(toks) and toks[i + n + 1].f in _COLL_VOCAB
    if toks[i + n].word and name[:1].isupper() and (len(name) == 1 or name[1:].islower()):
        return True
    return _small_field(toks, i + n) > 0


def _small_field(toks: list[Tok], j: int) -> int:
    """A department's field written in small letters (one to four words) right after its head "sở" / "cục" in
    small letters, when the place whose department it is follows: "sở y tế | các tỉnh, thành phố", "sở giao thông
    vận tải | tỉnh Nghệ An" (the department of every province, or of one province: an outside body). The token
    where the place starts, or 0 when no place follows ("sở tại", "cục bộ" are other words)."""
    if j < 1 or toks[j - 1].f not in ("so", "cuc"):
        return 0
    k = j
    while (
        k < len(toks) and k - j < 4 and toks[k].word and not toks[k].cap and toks[k].f not in ("cac", "tinh")
    ):
        k += 1
    if k == j or k + 1 >= len(toks):
        return 0
    if toks[k].f == "cac" and toks[k + 1].f in ("tinh", "dia", "huyen", "quan"):
        return k
    if toks[k].f == "tinh" and toks[k + 1].cap:
        return k
    return 0


def _shared_head(toks: list[Tok], i: int) -> bool:
    """One plural head ("các" + sở / bộ) shared by several named units, the head written once: "các sở Tư pháp,
    Nội vụ, Tài chính", "các Bộ Công Thương và Tài chính". Both the first and the second name must be names the
    registry knows under that head, so that "các sở Y tế, ngành liên quan" stays an open class."""
    if not (i + 2 < len(toks) and toks[i].f == "cac" and toks[i + 1].f in ("so", "bo") and toks[i + 2].cap):
        return False
    head = "Sở" if toks[i + 1].f == "so" else "Bộ"
    n = _gaz().match(toks, i + 2, head)
    j = i + 2 + n
    if not n or j + 1 >= len(toks) or not (toks[j].text == "," or toks[j].f == "va"):
        return False
    return toks[j + 1].cap and _gaz().match(toks, j + 1, head) > 0


def _unit(toks: list[Tok], i: int) -> tuple[int, bool, list[tuple[int, int]], list[str]] | None:
    """One performer at token i: (end token, collective?, member spans, member names) or None."""
    start = i
    t = _match_seq(toks, i, _TITLES)
    if t == 2 and toks[i].f == "dong":
        # "Đồng chí Nguyễn Văn A, Phó Chủ tịch UBND tỉnh": the office the person holds is the performer.
        k = i + 2
        while k < len(toks) and k - i < 7 and toks[k].word and toks[k].cap and not _starts_agency(toks, k):
            k += 1
        if k - i >= 4 and k + 1 < len(toks) and toks[k].text == "," and _match_seq(toks, k + 1, _TITLES):
            start = i = k + 1
            t = _match_seq(toks, i, _TITLES)
    while t:
        i += t
        if i < len(toks) and toks[i].text == ",":
            nxt = _match_seq(toks, i + 1, _TITLES)
            if nxt:
                i += 1
                t = nxt
                continue
        if toks[i - 1].f == "chi" and toks[i - 2].f == "dong" and _match_seq(toks, i, _TITLES):
            t = _match_seq(
                toks, i, _TITLES
            )  # "Đồng chí Giám đốc Sở Y tế": the form of address, then the title
            continue
        t = 0
    if i >= len(toks):
        return None
    if i > start and toks[i - 1].f == "thu" and _match_seq(toks, i, _PARTY_UNITS) and not toks[i].cap:
        # "Bí thư cấp ủy", "Bí thư chi bộ": the secretary of each Party committee of a kind, named by the kind in
        # small letters and not by a name: an open class (GUIDE §4.3)
        k = i + _match_seq(toks, i, _PARTY_UNITS)
        return k, True, [(toks[start].start, toks[k - 1].end)], [_span_text(toks, start, k)]
    party = _match_seq(toks, i, _PARTY_GROUPS)
    if party and toks[i].cap:
        # "Ban Cán sự đảng UBND thành phố", "Đảng đoàn Mặt trận Tổ quốc tỉnh": the Party group of a body.
        of = _unit(toks, i + party)
        if of is not None and not of[1]:
            return of[0], False, [(toks[start].start, toks[of[0] - 1].end)], [_span_text(toks, start, of[0])]
    role = _match_seq(toks, i, _ROLES)
    if role and _asked_role(toks, i):
        while (
            i + role + 1 < len(toks)
            and (toks[i + role].text == "," or toks[i + role].f == "va")
            and not toks[i + role + 1].cap
            and _match_seq(toks, i + role + 1, _ROLES)
        ):
            role += 1 + _match_seq(toks, i + role + 1, _ROLES)  # "cán bộ, công chức, viên chức": one class
        return (
            i + role,
            True,
            [(toks[start].start, toks[i + role - 1].end)],
            [_span_text(toks, start, i + role)],
        )
    if role and toks[i].cap:
        # "Đơn vị tư vấn", "Nhà thầu thi công": one party to a project named by its role, not an open class.
        return (
            i + role,
            False,
            [(toks[start].start, toks[i + role - 1].end)],
            [_span_text(toks, start, i + role)],
        )
    if toks[i].f in ("cac", "nhung", "moi") or _match_seq(toks, i, _COLL_START) or _counted_class(toks, i):
        # "các Bộ: Kế hoạch và Đầu tư, Tài chính" — a list of named units of one kind.
        listed = (
            toks[i].f == "cac"
            and i + 2 < len(toks)
            and toks[i + 2].text == ":"
            and toks[i + 1].f in ("so", "bo", "quan", "huyen")
        )
        # "ba bộ Nông nghiệp và PTNT, Tài nguyên và Môi trường, Giao thông vận tải": a number of ministries, named.
        counted = (
            not listed
            and _counted_class(toks, i)
            and toks[i + 1].f in ("so", "bo")
            and i + 2 < len(toks)
            and toks[i + 2].word
            and toks[i + 2].cap
        )
        shared = not listed and not counted and _shared_head(toks, i)
        if listed or counted or shared:
            head = "Sở" if toks[i + 1].f == "so" else ("Bộ" if toks[i + 1].f == "bo" else toks[i + 1].text)
            j = i + 3 if listed else i + 2
            spans: list[tuple[int, int]] = []
            names: list[str] = []
            while j < len(toks):
                n = _gaz().match(toks, j, head)
                k = j + n if n else j
                if not n:
                    while k < len(toks) and (
                        toks[k].word
                        and (toks[k].cap or toks[k].f not in _STOP)
                        or toks[k].text in "-–"
                        and k + 1 < len(toks)
                        and toks[k + 1].cap
                    ):
                        if toks[k].f == "va" and k + 1 < len(toks) and toks[k + 1].cap:
                            break
                        k += 1
                if k == j:
                    break
                spans.append((toks[j].start, toks[k - 1].end))
                names.append(f"{head} {' '.join(x.text for x in toks[j:k])}")
                j = k
                if j < len(toks) and toks[j].text in (",", ";") or (j < len(toks) and toks[j].f == "va"):
                    if j + 1 < len(toks) and toks[j + 1].cap and not _starts_agency(toks, j + 1):
                        j += 1
                        continue
                break
            if names:
                return j, False, spans, names
        j = i + max(1, _match_seq(toks, i, _COLL_START))
        kinds = (
            0  # words of the open class's kind that are not in the vocabulary ("trường học", "chủ đầu tư")
        )
        while j < len(toks):
            tk = toks[j]
            title = _match_seq(toks, j, _TITLES)
            if title and j > i:
                j += title  # "các Phó Chủ tịch UBND tỉnh": a title inside the class
                continue
            if (
                tk.f == "to"
                and j + 1 < len(toks)
                and toks[j + 1].f == "chuc"
                and toks[j - 1].f not in (",", "va", "cac")
            ):
                break  # "các trường THPT tổ chức ôn tập": the verb, not "các sở, tổ chức" (organisations)
            if (
                tk.f in _TONED
                and tk.text.lower() != _TONED[tk.f]
                and not (tk.f == "phuong" and toks[j - 1].f == "dia")
            ):
                break  # "sơ tán", "bố trí", "phương án": the tone marks tell them from "sở", "bộ", "phường"
            kind = _match_seq(toks, j, _KINDS)
            if tk.cap and kind < 3:
                kind = 0  # "các Hạt Kiểm lâm địa phương": a kind of three words may be capitalised as a name
            if kind:
                j += kind
                kinds += kind
                continue
            if (
                j >= i + 3
                and toks[j - 1].f == "quan"
                and toks[j - 2].f == "lien"
                and tk.f not in ("cua", "thuoc")
            ):
                break  # "... liên quan" closes an open class ("các đơn vị liên quan tổ chức ...")
            pair = _COLL_PAIRS.get(tk.f)
            second = tk.f in _COLL_PAIRS.get(toks[j - 1].f, ())  # "tổ chức": "chức" ends the pair
            if pair and not second and not tk.cap and not (j + 1 < len(toks) and toks[j + 1].f in pair):
                break  # "các địa phương" but "các địa bàn", "các huyện, thành phố" but "thành lập"
            if (
                tk.f in _VERB_NOUNS
                and toks[j - 1].text not in (",", ";")
                and toks[j - 1].f not in ("va", "cac")
            ):
                break  # "..., thị xã tổ chức quán triệt": the verb; "các tổ chức", ", tổ chức đoàn thể": the body
            if (
                tk.f in _PAIR_SECOND
                and toks[j - 1].f != _PAIR_SECOND[tk.f]
                and not tk.cap
                # "phường" alone is a ward; "phương" is a second syllable only in "địa phương"
                and tk.text.lower() != _TONED.get(tk.f)
            ):
                break  # "chức năng" but "... thị trấn nâng cao": the second syllable alone is another word
            if tk.cap and _adverb_at(toks, j):
                break  # "..., Sở X Thường xuyên theo dõi": an adverb in capitals opens the predicate
            if tk.f in _COLL_VOCAB or (tk.word and tk.cap):
                if tk.f == "co" and not (j + 1 < len(toks) and toks[j + 1].f in ("lien", "quan")):
                    break
                j += 1
                continue
            if (
                _second_syllable(
                    toks, j - 1 if _match_seq(toks, j - 2, _HEADS) or toks[j - 2].f == "nganh" else i + 1, j
                )
                and tk.f not in _STOP
                and toks[j - 1].f not in _COLL_VOCAB
            ):
                j += 1  # "các phòng Giáo dục và Đào tạo": a capitalised name word's second syllable
                continue
            if (
                tk.f == "va"
                and j + 1 < len(toks)
                and toks[j + 1].word
                and toks[j + 1].cap
                and not _starts_agency(toks, j + 1)
                and any(x.word and x.cap and x.f not in _COLL_VOCAB for x in toks[max(i + 1, j - 3) : j])
            ):
                j += 1  # "... Giáo dục và Đào tạo": "và" inside a name in capitals
                continue
            if tk.f == "cua" and j + 1 < len(toks) and toks[j + 1].cap:
                sub = _unit(toks, j + 1) if _starts_agency(toks, j + 1) else None
                j = sub[0] if sub else j + 1
                continue
            if tk.text in (",", "-", "–", ";") or tk.f == "va":
                if (
                    tk.text == ","
                    and j + 1 < len(toks)
                    and not toks[j + 1].cap
                    and _match_seq(toks, j + 1, _KINDS)
                    and (j + 2 >= len(toks) or not _asks(toks, j + 1))
                ):
                    j += (
                        1  # "các cơ quan, tổ chức, doanh nghiệp, trường học": one more kind of the open class
                    )
                    continue
                if j + 1 < len(toks) and (toks[j + 1].f in _COLL_VOCAB or _starts_agency(toks, j + 1)):
                    if (
                        _starts_agency(toks, j + 1)
                        and tk.text in (",", ";")
                        and not _bare_class(toks, j + 1)
                        or tk.f == "va"
                        and not _level(toks, j + 1)  # "các huyện, thị xã và thành phố": one class
                    ):
                        break
                    j += 1
                    continue
            break
        while j > i + 1 and toks[j - 1].text in (",", "-", "–", ";"):
            j -= 1
        if j <= i + 1 or not (kinds or any(x.f in _COLL_VOCAB - {"cac"} for x in toks[i + 1 : j])):
            return None
        return j, True, [(toks[start].start, toks[j - 1].end)], [_span_text(toks, start, j)]
    n = _match_seq(toks, i, _HEADS)
    if not n or not (toks[i].cap or toks[i].f in _ALWAYS_HEADS or _small_head(toks, i, n)):
        if start == i:
            return None
        # A bare title ("Chủ tịch ...") is the person; keep it. "Chủ tịch tỉnh", "Chủ tịch huyện Quảng Xương":
        # the title of a level's council, its level (and place) said without the council.
        lv = _level(toks, i) if i < len(toks) and toks[i].text in _LEVEL_WORDS else 0
        if lv:
            i += lv
            while i < len(toks) and toks[i].word and toks[i].cap and not _starts_agency(toks, i):
                i += 1
        return i, False, [(toks[start].start, toks[i - 1].end)], [_span_text(toks, start, i)]
    g = _gaz().match(toks, i)
    j = i + g if g else i + n
    if not g and toks[i].f == "phong" and n == 1:
        # A district's office bears its city department's name ("Phòng Nông nghiệp và Phát triển nông thôn").
        j += _gaz().match(toks, j, "Sở")
    head = " ".join(x.f for x in toks[i : i + n])
    if toks[i].f in ("ubnd", "uy") and _level(toks, j) and j + 1 < len(toks) and toks[j + 1].text == ",":
        # "UBND quận, huyện, thị xã": one council named for several levels, an open class.
        k = j + _level(toks, j)
        while k + 1 < len(toks) and toks[k].text == "," and _level(toks, k + 1):
            k += 1 + _level(toks, k + 1)
        if k > j + 2:
            return k, True, [(toks[start].start, toks[k - 1].end)], [_span_text(toks, start, k)]
    if (
        j < len(toks)
        and toks[j].f in ("cac", "cap")
        and toks[i].f in ("ubnd", "uy", "so", "bo", "bhxh", "bao", "kbnn", "cong", "phong", "hat")
    ):
        # "UBND các huyện, thành phố", "UBND cấp tỉnh", "Sở GTVT các tỉnh", "BHXH các tỉnh", "Phòng Y tế các
        # huyện": collective.
        res = _unit(toks, j)
        if res:
            return (
                res[0],
                True,
                [(toks[start].start, toks[res[0] - 1].end)],
                [" ".join(x.text for x in toks[start : res[0]])],
            )
    if head in ("thanh tra", "van phong") and j < len(toks) and toks[j].cap and toks[j].f in ("bo", "so"):
        # "Thanh tra Bộ GTVT", "Văn phòng Bộ Y tế": the inspectorate or office of the ministry or department named.
        of = _unit(toks, j)
        if of is not None and not of[1]:
            return of[0], False, [(toks[start].start, toks[of[0] - 1].end)], [_span_text(toks, start, of[0])]
    # "Văn phòng UBND tỉnh": an office named after its council, which takes its level word along.
    office_of = j < len(toks) and (
        toks[i].f == "van"
        and toks[j].f == "ubnd"
        or toks[j - 1].f in ("ubnd", "dan")
        and toks[j].f in ("tinh", "huyen", "quan", "xa", "phuong")
    )
    if (
        not g
        or office_of
        or (
            j < len(toks)
            and toks[j].word
            and toks[j].cap
            and (not _starts_agency(toks, j) or toks[j].f == "tp")
        )
        or _comma_name(toks, j)
        or _place(toks, j)
        or j + 1 < len(toks)
        and toks[j].text == "."
        and toks[j - 1].f == "tp"
        and toks[j + 1].cap  # "TP. Huế"
    ):
        pending = 0
        while j < len(toks):
            tk = toks[j]
            if _comma_name(toks, j):
                j += 1
                continue
            if tk.text in ("-", "–", "&", ".") and j + 1 < len(toks) and toks[j + 1].cap:
                if tk.text == "." and toks[j - 1].f not in ("tp", "t.p"):
                    break
                j += 1
                continue
            described = head in _DESCRIBED_HEADS or head in ("tong cong ty", "cong ty")
            if described and j == i + n and not tk.cap and _pair_at(toks, j, _BOARD_FUNCTION):
                j += 2  # "Ban chỉ đạo", "Ban Chỉ huy", "Ban cán sự": what the board is for, part of its name
                continue
            if described and tk.f == "ve" and j >= 2 and (toks[j - 2].f, toks[j - 1].f) in _BOARD_FUNCTION:
                # "Ban Chỉ đạo về vệ sinh an toàn thực phẩm tỉnh": what the board is about, up to its level word
                k = _field_to_level(toks, j + 1)
                if k:
                    j = k
                    continue
            if described and j > i + n and _class_of_places(toks, j) and head in _DESCRIBED_HEADS:
                break  # "... các tỉnh, thành phố": the class of places the board is in (below)
            if described and j > i + n and _pair_at(toks, j, _NAME_FIELD):
                j += 2  # "... phòng chống thiên tai", "... vì sự tiến bộ phụ nữ": the field it works in
                continue
            if (
                tk.text == ","
                and toks[j - 1].f == "phong"
                and j + 1 < len(toks)
                and toks[j + 1].f in ("chong", "chua")
            ):
                j += 1  # "phòng, chống": one word of the name written with a comma
                continue
            if not tk.word:
                break
            if described and tk.f == "va" and j > i + n and _pair_at(toks, j + 1, _NAME_FIELD):
                j += 1  # "... thiên tai và tìm kiếm cứu nạn": the name's fields joined
                continue
            if tk.f == "va" and (_starts_agency(toks, j + 1) or not (j + 1 < len(toks) and toks[j + 1].cap)):
                break
            if tk.cap and _adverb_at(toks, j):
                break  # "giao Sở X Thường xuyên tổng hợp …": the adverb opens the predicate
            if _troops(toks, j):
                j += 2  # "Bộ Chỉ huy Bộ đội Biên phòng tỉnh": one name
                continue
            if tk.cap:
                if (
                    pending == 0
                    and _starts_agency(toks, j)
                    and toks[j].f in ("ubnd", "so", "bo")
                    and not (j == i + n and toks[i].f == "van" and toks[j].f == "ubnd")
                    and toks[j - 1].text not in ("-", "–")  # "Ban Quản lý dự án 85 - Bộ GTVT": its parent
                    and not _troops(toks, j)  # "Bộ Chỉ huy Bộ đội Biên phòng tỉnh": troops, not a ministry
                ):
                    break  # "Văn phòng UBND tỉnh" is one unit; "Sở X, UBND Y" are two
                j += 1
                pending = 0
                continue
            if tk.f in _NAME_VOCAB and _name_word_ok(toks, j):
                j += 1
                continue
            if (toks[j - 1].f, tk.f) in _COMPOUND:
                j += 1
                continue
            if tk.f in _STOP and head in _COMMON_NOUN_HEADS and _second_syllable(toks, i + n, j):
                j += 1  # "Ban Xúc tiến ...", "Phòng Nông nghiệp và Phát triển nông thôn": a word's second syllable
                continue
            if (
                head in _COMMON_NOUN_HEADS
                and j + 1 < len(toks)
                and (_asks(toks, j + 1) or toks[j + 1].word and toks[j + 1].cap)
                and _second_syllable(toks, i + n, j)
            ):
                j += 1  # "Ban Bí thư yêu cầu", "Ban Tuyên giáo Quận ủy": a verb or a name follows, not the predicate
                continue
            if tk.f in _STOP:
                break
            # A small-letter word inside a name is kept only when a capital follows soon ("... kỷ niệm 1000
            # năm Thăng Long"); otherwise the name ended before it.
            k = j
            while (
                k < len(toks)
                and k - j < 6
                and toks[k].word
                and not toks[k].cap
                and (toks[k].f not in _STOP or _name_word_ok(toks, k) or _pair_at(toks, k, _NAME_FIELD))
                and not _asks(toks, k)  # "Sở Y tế Nguyễn Văn A yêu cầu Trường B ...": the verb ends the name
                and not (k + 1 < len(toks) and (toks[k].f, toks[k + 1].f) in _VERB_PAIRS)
            ):
                k += 2 if _pair_at(toks, k, _NAME_FIELD) else 1
            if k < len(toks) and k > j and toks[k].word and toks[k].cap and not _starts_agency(toks, k):
                j = k
                continue
            if k > j and _comma_name(toks, k):
                j = k
                continue
            after = toks[j + 1] if j + 1 < len(toks) else None
            if (
                toks[j - 1].word
                and toks[j - 1].cap
                and not _verb_word(tk)
                and head not in ("tp", "thanh pho")  # a city's name capitalises every syllable
                and (
                    after is None
                    or not after.word
                    or after.f in _STOP
                    or after.f == "va"
                    or after.cap
                    or after.f in _NAME_VOCAB
                    or _place(toks, j + 1)
                    or after.f in _OPENS_PREDICATE  # "Bộ … Thể thao và Du lịch nâng cao …": the verb follows
                )
            ):
                j += 1  # the second syllable of a capitalised name word ("Du lịch", "Thương binh")
                continue
            if head in _DESCRIBED_HEADS and toks[j - 1].f not in ("tinh", "pho", "tp", "huyen", "quan", "xa"):
                # "Ban Chỉ đạo phòng chống dịch tỉnh", "Cục Quản lý thị trường", "Đoàn thanh niên": a board's
                # or team's name goes on in small letters up to the verb that follows the performer.
                k = j
                while k < len(toks) and k - j < 12 and toks[k].word and not toks[k].cap:
                    if _class_of_places(toks, k):
                        break
                    if _pair_at(toks, k, _NAME_FIELD):
                        k += 2
                        continue
                    if toks[k].f in _STOP or toks[k].f in _VERB_WORDS or toks[k].f in _RUN_STOP:
                        break
                    k += 1
                if k > j and (
                    k == len(toks)
                    or not toks[k].word
                    or toks[k].f in _STOP
                    or toks[k].f in _RUN_STOP
                    or _class_of_places(toks, k)  # "... cứu nạn các tỉnh, thành phố": the board of each
                ):
                    j = k
                    continue
            break
    while j > i + 1 and not toks[j - 1].word:
        j -= 1
    if (
        j + 2 < len(toks)
        and toks[j].text == "("
        and toks[j + 2].text == ")"
        and toks[j + 1].word
        and len(toks[j + 1].text) >= 2
        and toks[j + 1].text.isupper()
    ):
        j += 3  # "Tổng Công ty Đầu tư phát triển đường cao tốc Việt Nam (VEC)": the name's acronym goes with it
    branch = _branch_place(toks, j)
    if branch:
        # "NHNN chi nhánh tỉnh Bình Định", "Ngân hàng Nhà nước chi nhánh các tỉnh": a national body's branch in a
        # province (an outside body), or its branches in every province of a class (an open class).
        end, coll = branch
        return end, coll, [(toks[start].start, toks[end - 1].end)], [_span_text(toks, start, end)]
    if j < len(toks) and toks[j].f == "cac" and head in _DESCRIBED_HEADS and j > i + n:
        # "Ban Chỉ huy phòng, chống thiên tai … các tỉnh, thành phố ven biển": the board of every place of a
        # class, an open class like "Sở GTVT các tỉnh".
        res = _unit(toks, j)
        if res and res[1]:
            return (
                res[0],
                True,
                [(toks[start].start, toks[res[0] - 1].end)],
                [_span_text(toks, start, res[0])],
            )
    return j, False, [(toks[start].start, toks[j - 1].end)], [_span_text(toks, start, j)]


def _field_to_level(toks: list[Tok], j: int) -> int:
    """The end of a field in small letters (two to ten words, no verb of the predicate) closed by a level word
    ("vệ sinh an toàn thực phẩm | tỉnh", "… | thành phố"): the token after the level word, or 0."""
    k = j
    while k < len(toks) and k - j < 10 and toks[k].word and not toks[k].cap:
        if toks[k].text in _LEVEL_WORDS and k - j >= 2:
            return k + (_level(toks, k) or 1)
        if (
            toks[k].f in _VERB_WORDS
            or toks[k].f in _RUN_STOP
            or toks[k].f in ("cua", "cac", "va", "de", "tai")
        ):
            return 0
        k += 1
    return 0


def _branch_place(toks: list[Tok], j: int) -> tuple[int, bool] | None:
    """ "chi nhánh" + the place of the branch after a body's name: (end token, collective?) or None. The place is a
    level word and its name in capitals ("chi nhánh tỉnh Bình Định", "chi nhánh TP. Hồ Chí Minh") or a class of
    places ("chi nhánh các tỉnh, thành phố")."""
    if not (j + 2 < len(toks) and toks[j].f == "chi" and toks[j + 1].f == "nhanh" and not toks[j].cap):
        return None
    k = j + 2
    if _class_of_places(toks, k):
        res = _unit(toks, k)
        return (res[0], True) if res and res[1] else None
    k += _level(toks, k) or int(toks[k].f == "tp")
    if k == j + 2 or k >= len(toks) or not (toks[k].cap or toks[k].text == "."):
        return None
    if toks[k].text == ".":
        k += 1
    while k < len(toks) and toks[k].word and toks[k].cap and not _starts_agency(toks, k):
        k += 1
    return k, False


def _place(toks: list[Tok], j: int) -> bool:
    """A province or city named after a body's name, part of that name: "Sở Tài chính tỉnh Thanh Hóa", "Công an
    thành phố Hải Phòng", or the text's own province by its level word alone ("Thanh tra tỉnh chủ trì")."""
    if j >= len(toks) or toks[j].cap:
        return False
    f, nf = toks[j].f, toks[j + 1].f if j + 1 < len(toks) else ""
    if f in ("thanh", "thi") and nf != {"thanh": "pho", "thi": "xa"}[f]:
        return False
    if f not in ("tinh", "tp", "thanh", "thi", "huyen", "quan"):
        return False
    n = 2 if f in ("thanh", "thi") else 1
    if f == "tp" and j + 1 < len(toks) and toks[j + 1].text == ".":
        n = 2  # "TP. Hồ Chí Minh"
    nxt = toks[j + n] if j + n < len(toks) else None
    if nxt is not None and nxt.word and nxt.cap and not _starts_agency(toks, j + n):
        return True
    return f in ("tinh", "tp", "thanh")  # "Thanh tra tỉnh", "Sở Y tế thành phố"


_PLACE_HEAD = re.compile(
    r"^((.*?)\s*\b(?:tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường|TP\.?))\s+[A-ZĐÀ-Ỹ][^\s,;]*"
    r"(?:\s+[A-ZĐÀ-Ỹ][^\s,;]*)*$"
)


def _sibling_place(toks: list[Tok], j: int, previous: str) -> tuple[int, str] | None:
    """After "UBND tỉnh Hà Tĩnh," a bare capitalised place ("Quảng Bình") is another body of the same kind:
    (end token, "UBND tỉnh Quảng Bình"), else None."""
    m = _PLACE_HEAD.match(previous)
    if m is None or j >= len(toks):
        return None
    council = m.group(1)
    level = _level(toks, j) or int(toks[j].f == "tp")
    if level and m.group(2) and j + level < len(toks) and toks[j + level].word and toks[j + level].cap:
        # "UBND huyện Long Mỹ, TP Vị Thanh", "UBND xã Ea Bông, thị trấn Buôn Trấp": the same council, another level.
        council, j = f"{m.group(2)} {_span_text(toks, j, j + level)}", j + level
    elif not (toks[j].word and toks[j].cap) or _starts_agency(toks, j):
        return None
    k = j
    while (
        k < len(toks)
        and toks[k].word
        and toks[k].cap
        and (k == j or toks[k].f == "phong" or not _starts_agency(toks, k))
    ):
        k += 1  # "Hải Phòng": a place, not a "Phòng" (office)
    if k - j > 4 or k - j < 1 or (k - j == 1 and len(toks[j].text) < 3):
        return None
    return k, f"{council} {_span_text(toks, j, k)}"


def _comma_name(toks: list[Tok], j: int) -> bool:
    """A comma inside a unit's name that lists its fields: "Sở Văn hóa, Thể thao và Du lịch", "Bộ Lao động,
    Thương binh và Xã hội" (a capitalised word, a few name words, then "và" and a capitalised word)."""
    if j + 1 >= len(toks) or toks[j].text != "," or not (toks[j + 1].word and toks[j + 1].cap):
        return False
    if _starts_agency(toks, j + 1):
        return False
    if any(not t.cap and t.f in ("tinh", "huyen", "quan", "pho", "xa") for t in toks[max(0, j - 4) : j]):
        return False  # "UBND tỉnh Hà Tĩnh, Quảng Bình và Quảng Trị": places, not the fields of one name
    for k in range(j + 1, min(j + 6, len(toks) - 1)):
        if toks[k].f == "va":
            return toks[k + 1].word and toks[k + 1].cap and not _starts_agency(toks, k + 1)
        if not toks[k].word or toks[k].f in _STOP:
            return False
    return False


_LEVEL_WORDS = {"tỉnh", "huyện", "quận", "xã", "phường", "thành", "thị"}  # spelt with their tone marks


def _level(toks: list[Tok], j: int) -> int:
    """Tokens of a local-government level word at j ("quận", "huyện", "thị xã", "thành phố"), else 0."""
    if j >= len(toks) or toks[j].cap and j > 0 and toks[j - 1].text != ",":
        return 0
    f = toks[j].f
    if f in ("quan", "huyen", "xa", "phuong", "tinh"):
        return 1
    if f in ("thi", "thanh") and j + 1 < len(toks) and toks[j + 1].f in ("xa", "tran", "pho"):
        return 2
    return 0


def _bare_class(toks: list[Tok], j: int) -> bool:
    """A kind of body without a name, inside a list of kinds: the "Ban" of "các Sở, Ban, ngành"."""
    if toks[j].f in ("co", "don", "dia") and not toks[j].cap and _match_seq(toks, j, _COLL_START):
        return True  # "các cơ quan, đơn vị, địa phương liên quan"
    if toks[j].f not in ("ban", "so", "bo", "nganh") or j + 1 >= len(toks):
        return False
    nxt = toks[j + 1]
    return nxt.text in (",", ";") or nxt.f in _COLL_VOCAB and not nxt.cap


_PAIRED = {"nhan": "dan", "nha": "nuoc", "ky": "niem"}
# Two-syllable verbs whose syllables are name words on their own ("Ban", "Công"): "UBND tỉnh ban hành Kế hoạch …" is
# a body and its act, not one name running on to the capital of "Kế hoạch".
_VERB_PAIRS = {("ban", "hanh"), ("phe", "duyet"), ("cong", "bo")}
# Two-syllable words of unit names whose second syllable is no name word on its own ("xã hội", "quản lý").
_COMPOUND = {
    ("co", "phan"),  # "Công ty Cổ phần Du lịch Sông Hậu": a joint-stock company's form, part of its name
    ("xa", "hoi"),
    ("quan", "ly"),
    ("du", "an"),
    ("ve", "sinh"),
    ("an", "toan"),
    ("thanh", "tra"),
    ("quan", "su"),
    ("thuong", "truc"),
}


# What a board, department or team is for, said right after its head in small letters or capitals ("Ban chỉ đạo",
# "Ban Chỉ huy", "Ban cán sự", "Cục Quản lý", "Đoàn kiểm tra"): part of the name, not the verb after the performer,
# though the same words are verbs elsewhere ("Sở Y tế chỉ đạo ...").
_BOARD_FUNCTION = {
    ("chi", "dao"),
    ("chi", "huy"),
    ("can", "su"),
    ("tuyen", "giao"),
    ("dan", "van"),
    ("to", "chuc"),
    ("kiem", "tra"),
    ("quan", "ly"),
    ("vi", "su"),
    ("dieu", "hanh"),
    ("dai", "dien"),
    ("thi", "dua"),
    ("giam", "sat"),
    ("boi", "thuong"),
}
# Two-syllable nouns of the field such a body's name goes on with ("Ban Chỉ huy phòng, chống thiên tai và tìm kiếm
# cứu nạn tỉnh", "Ban vì sự tiến bộ phụ nữ", "Tổng Công ty Đầu tư phát triển đường cao tốc Việt Nam") whose first
# syllable is a word that would end a name on its own (tại, triển khai, tiến hành, tìm).
_NAME_FIELD = {
    ("tien", "bo"),
    ("phu", "nu"),
    ("phong", "chong"),
    ("thien", "tai"),
    ("tim", "kiem"),
    ("cuu", "nan"),
    ("cuu", "ho"),
    ("phat", "trien"),
    ("dan", "so"),
    ("dieu", "tra"),
    ("thi", "truong"),
    ("giam", "ngheo"),
    ("giai", "phong"),
    ("mat", "bang"),
    ("phong", "thu"),
}


# First syllables of verbs that open a predicate after a name (besides _STOP): "nâng cao", "đẩy mạnh", "quán triệt".
_OPENS_PREDICATE = frozenset("nang quan xay bo sap dong rut".split())


def _troops(toks: list[Tok], j: int) -> bool:
    """ "Bộ đội" at token j: soldiers ("Bộ đội Biên phòng"), a word of a body's name, not "Bộ" (a ministry)."""
    return (
        toks[j].f == "bo"
        and j + 1 < len(toks)
        and toks[j + 1].f == "doi"
        and toks[j + 1].text.lower() == "đội"
    )


_PLACE_CLASS = {
    "tinh",
    "huyen",
    "quan",
    "xa",
    "phuong",
    "thanh",
    "thi",
    "thon",
    "xom",
    "so",
    "nganh",
    "dia",
    "cap",
}


def _class_of_places(toks: list[Tok], j: int) -> bool:
    """ "các tỉnh", "các sở, ngành", "các thôn" after a board's name: the places or bodies each has such a board
    (not "Ban Quản lý các khu công nghiệp", where the class is what the board manages)."""
    return toks[j].f == "cac" and j + 1 < len(toks) and toks[j + 1].f in _PLACE_CLASS


def _pair_at(toks: list[Tok], j: int, pairs: set[tuple[str, str]]) -> bool:
    return j + 1 < len(toks) and toks[j].word and (toks[j].f, toks[j + 1].f) in pairs


_ASKING = {("yeu", "cau"), ("de", "nghi"), ("chi", "dao"), ("giao", "")}


def _asks(toks: list[Tok], k: int) -> bool:
    """A verb of asking at token k ("yêu cầu", "đề nghị", "chỉ đạo", "giao"): never inside a name in small letters."""
    nxt = toks[k + 1].f if k + 1 < len(toks) else ""
    return (toks[k].f, nxt) in _ASKING or (toks[k].f, "") in _ASKING


def _second_syllable(toks: list[Tok], name_from: int, j: int) -> bool:
    """In a name of common words ("Xúc tiến và Hỗ trợ đầu tư", "Nông nghiệp và Phát triển nông thôn"), only a word's
    first syllable is capitalised: the small word after it is its second syllable, even one that is also a verb
    ("tiến", "triển"). Not after a word of two capitals ("Sở Công Thương chủ trì"), an abbreviation ("Sở GTVT chủ
    trì"), a place ("... huyện Krông Ana chủ trì"), and never a verb of asking."""
    prev = toks[j - 1]
    if (
        j - 1 < name_from
        or not (prev.word and prev.cap and (prev.text[1:].islower() or len(prev.text) == 1))
        or _asks(toks, j)
        or _verb_word(toks[j])
    ):
        return False
    if j - 2 >= name_from and toks[j - 2].word and toks[j - 2].cap:
        return False
    return not any(
        t.f in ("tinh", "huyen", "quan", "xa", "phuong", "tp", "thi") for t in toks[name_from : j - 1]
    )


def _name_word_ok(toks: list[Tok], j: int) -> bool:
    """A small word of a name that is also a verb is kept only in its noun pair ("nhân dân", not "nhận được")."""
    want = _PAIRED.get(toks[j].f)
    if want is None:
        return toks[j].f not in _STOP
    return j + 1 < len(toks) and toks[j + 1].f == want


def _concurrent_office(toks: list[Tok], first: int, j: int, end: int) -> bool:
    """A person named by a title, then ", Phó Trưởng ban (Thường trực) Ban Chỉ đạo …": the board's office the same
    person holds as well (a title on a board, after a title), not a second performer."""
    if not _match_seq(toks, first, _TITLES):
        return False
    t = _match_seq(toks, j, _TITLES)
    if (
        not t
        or toks[j + t - 1].f not in ("ban", "truc")
        and " ".join(x.f for x in toks[j : j + t])[-3:] != "ban"
    ):
        return False
    return any(
        toks[k].f in ("ban", "hoi") and k + 1 < len(toks) and toks[k + 1].f in ("chi", "dong")
        for k in range(j + t - 1, min(len(toks) - 1, max(end, j + t + 3)))
    )


class _Tail(Phrase):
    """A performer list read from one of its members on: the end of a list already read from an earlier member
    (`_tails`). Its members are copied from that reading only when asked for."""

    def __init__(self, start: int, full: _Read, names_from: int, items_from: int, collective: bool) -> None:
        # the list's members stay unread until a caller asks for them (see __getattr__)
        self.start, self.end, self.end_tok, self.collective = start, full.end, full.end_tok, collective
        self._from = (full, names_from, items_from)

    def __getattr__(self, attr: str) -> Any:
        if attr not in ("names", "items", "siblings") or "_from" not in self.__dict__:
            raise AttributeError(attr)
        full, n, i = self.__dict__["_from"]
        self.names = list(full.names[n:])
        self.items = list(full.items[i:])
        self.siblings = {k - n for k in full.siblings if k >= n}
        return self.__dict__[attr]


@dataclass(frozen=True)
class _Read:
    """A performer list as read in full (its members frozen), for the readings from its later members."""

    end: int
    end_tok: int
    names: tuple[str, ...]
    items: tuple[tuple[int, int], ...]
    siblings: frozenset[int]


def _tails(toks: list[Tok]) -> dict[tuple[int, bool], tuple[_Read, int, int, bool]]:
    """The list readings of the token list `toks` (one list at a time: the sentence being read), by member."""
    held = getattr(_SOURCE, "tails", None)
    if held is None or held[0] is not toks:
        held = (toks, {})
        _SOURCE.tails = held
    return held[1]


def parse_performers(toks: list[Tok], i: int) -> Phrase | None:
    """A performer or a list of performers at token i ("Bộ GTVT, UBND thành phố Hải Phòng và UBND tỉnh Quảng Ninh").

    Read from a member of a list read before (each comma of "Sở A, Sở B, …, Sở Z" opens a clause that is read
    again), the list goes on exactly as it went on from that member the first time (the reading of a member depends
    only on it, the member before it and whether the first one was a title): that end is taken, not read again
    (reading every list again from each of its members cost time growing with the square of its length)."""
    titled = bool(_match_seq(toks, i, _TITLES))
    tails = _tails(toks)
    hit = tails.get((i, titled))
    if hit is not None:
        full, names_from, items_from, collective = hit
        return _Tail(toks[i].start, full, names_from, items_from, collective)
    first = _unit(toks, i)
    if first is None:
        return None
    end, coll, spans, names = first
    phrase = Phrase(toks[i].start, toks[end - 1].end, list(spans), list(names), end, coll)
    members = [(i, 0, 0, coll)]  # members read by _unit: (token, names before, items before, collective)
    while end < len(toks) and (toks[end].text in (",", ";") or toks[end].f == "va"):
        j = end + 1
        if j < len(toks) and toks[j].f == "va":
            j += 1
        sibling = _sibling_place(toks, j, phrase.names[-1])
        if sibling is not None:
            # "UBND tỉnh Hà Tĩnh, Quảng Bình": one head and level for several places.
            k, name = sibling
            phrase.siblings.add(len(phrase.names))
            phrase.items.append((toks[j].start, toks[k - 1].end))
            phrase.names.append(name)
            phrase.end, phrase.end_tok, end = toks[k - 1].end, k, k
            continue
        if not _starts_agency(toks, j):
            break
        nxt = _unit(toks, j)
        if nxt is None:
            break
        if _concurrent_office(toks, i, j, nxt[0]):
            # "Cục trưởng Cục QLTT tỉnh, Phó Trưởng ban Thường trực Ban Chỉ đạo 389": the same person's other office
            end = nxt[0]
            phrase.end_tok = end
            continue
        end, coll2, spans2, names2 = nxt
        members.append((j, len(phrase.names), len(phrase.items), coll2))
        phrase.items.extend(spans2)
        phrase.names.extend(names2)
        phrase.collective = phrase.collective or coll2
        phrase.end = toks[end - 1].end
        phrase.end_tok = end
    if len(members) > 1:
        full = _Read(
            phrase.end, phrase.end_tok, tuple(phrase.names), tuple(phrase.items), frozenset(phrase.siblings)
        )
        collective = False
        for j, names_from, items_from, c in reversed(members[1:]):
            collective = collective or c
            tails.setdefault((j, titled), (full, names_from, items_from, collective))
    return phrase


# ---------------------------------------------------------------------------------------------------------------
# Segmentation


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: a line ends a paragraph after final punctuation, before a list marker, or at a blank line."""
    spans: list[tuple[int, int]] = []
    start = 0
    lines = text.split("\n")
    pos = 0
    for idx, line in enumerate(lines):
        end = pos + len(line)
        nxt = lines[idx + 1] if idx + 1 < len(lines) else ""
        stripped = line.strip()
        nxt_s = nxt.strip()
        soft = (
            bool(nxt_s)
            and (
                nxt_s[:1].islower()
                or nxt_s[:1].isdigit()
                and not _MARKER.match(nxt_s)
                # a hard-wrapped line broken before a capital ("... tổ chức triển khai thực hiện\nKế hoạch này")
                or len(stripped) >= 50
                and stripped[-1:].islower()
                and not stripped.isupper()
                and nxt_s[:1].isupper()
                and not nxt_s.isupper()
                and not _NEW_LINE_START.match(fold_keep(nxt_s[:40]))
            )
        )
        hard = not soft or (
            not stripped
            or not nxt.strip()
            or stripped.endswith((".", ";", ":", "!", "?", "|", "./.", ")"))
            or bool(_MARKER.match(fold_keep(nxt)) and _MARKER.match(fold_keep(nxt)).group(0).strip())  # type: ignore[union-attr]
            or (stripped.isupper() and len(stripped) > 3)
            or nxt.strip().isupper()
        )
        if hard:
            if text[start:end].strip():
                spans.append((start, end))
            start = end + 1
        pos = end + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


# A capitalised line that starts a statement of its own (a performer, an assigner, a trigger, a closing formula).
_NEW_LINE_START = re.compile(
    r"(?:ong|ba|dong chi|pho thu tuong|thu tuong|chu tich|pho chu tich|ubnd|uy ban|bo|so|van phong|thanh uy|cac|"
    r"giao|yeu cau|de nghi|chi dao|noi nhan|kinh gui|dieu|can cu|theo|thuc hien|dong y|nay|sau khi"
    r"|cong an|bo chi huy|bo tu lenh|ban thuong truc|ban chi dao|mat tran|hoi (?:nong dan|lien hiep phu nu|cuu chien binh)"
    r"|tinh doan|thanh doan)\b"
    r"|[a-z][a-z0-9&.]{2,18}\s+[-–]\s"  # a news dateline ("Kinhtedothi - Thủ tướng ...")
    r"|(?:ngay|sang|chieu|toi|trua)\s+\d{1,2}\s*[/.-]\s*\d{1,2}\b"  # a news body's opening date ("Ngày 28/4, ...")
)
# Words that open a new sentence after an abbreviation's full stop (never the rest of a place name).
_CLAUSE_OPENER = re.compile(
    r"(?:chu tich|pho chu tich|ubnd|uy ban|so|bo|giao|yeu cau|de nghi|theo|dong thoi|ngoai ra|thu tuong|lanh dao)\b"
)
_SENT_END = re.compile(r"(?:\./\.|[.!?])(?=\s+[\"“(]?[A-ZĐÀ-Ỹ0-9])")


# A news item's headline run into its lede on one line, the lede opening on the paper's mark ("… sai phạm khu đất
# vàng Địa ốc TPO - UBND thành phố … vừa có công văn yêu cầu …"): the mark begins a sentence.
_NEWS_MARK = re.compile(r"(?<=[^\W\d_] )(?=[A-ZĐ][A-ZĐ&]{1,7} [-–] [A-ZĐÀ-Ỹ])")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    s = start
    marks = [
        m
        for m in _NEWS_MARK.finditer(text, start, end)
        if m.start() - start > 20 and not re.search(r"[.!?:;]", text[start : m.start()])
    ][:1]
    for m in [*marks, *_SENT_END.finditer(text, start, end)]:
        prev = text[max(start, m.start() - 4) : m.start()].split()
        word = prev[-1] if prev else ""
        if m.group(0) == "." and (
            len(word) <= 3 and word.isupper() or word in ("TP", "Tp", "Đ/c", "TS", "ThS")
        ):
            if not (
                word in ("TP", "Tp")
                and _CLAUSE_OPENER.match(fold_keep(text[m.end() : m.end() + 30]).lstrip())
            ):
                continue  # "TP. Hồ Chí Minh" is a name; "... trực thuộc TP. Chủ tịch UBND TP cũng ..." ends a sentence
        if re.fullmatch(r"\s*\(?(?:\d{1,2}|[IVXivx]{1,4})(?:\.\d{1,2})*", text[s : m.start()]):
            continue  # the number of a list item ("1. Sở Kế hoạch ..."), not a sentence
        out.append((s, m.end()))
        s = m.end()
    if text[s:end].strip():
        out.append((s, end))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in out if text[a:b].strip()]


# ---------------------------------------------------------------------------------------------------------------
# Tasks


# Confidence of each extracted field (0..1): how sure the reading is, from the form it was read from (a registry
# match or a bare head word, a dated year or a year-less date, a report verb with its recipient or a bare noun).
# Fields below LOW_CONFIDENCE are shown to the officer as "to check first" (draft page, `dondoc check --format json`).
CONFIDENCE_FIELDS = ("task", "lead", "coordinators", "deadline", "report", "submit")
#: The fields as the officer knows them, for "check these first".
CONFIDENCE_LABELS = {
    "task": "đoạn giao nhiệm vụ",
    "lead": "chủ trì",
    "coordinators": "phối hợp",
    "deadline": "thời hạn",
    "report": "báo cáo",
    "submit": "trình",
}
LOW_CONFIDENCE = 0.7


@dataclass
class Task:
    start: int
    end: int
    text: str
    lead: str | None = None
    lead_span: tuple[int, int] | None = None
    lead_names: list[str] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    collective: bool = False
    coordinators: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    report: dict[str, Any] = field(default_factory=dict)
    report_deadline: Deadline | None = None
    submit: bool = False
    submit_to: list[str] = field(default_factory=list)
    submit_deadline: Deadline | None = None
    requirements: list[str] = field(default_factory=list)
    ongoing: bool = False
    urgent: bool = False
    truncated: bool = False
    issues: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    body_start: int = 0  # where the action starts (after the performer)
    anchor: str = ""  # how the clause was found: trigger | subject | bullet | nolead
    confidence: dict[str, float] = field(default_factory=dict)  # per field, see `_confidence`

    @property
    def low_confidence(self) -> list[str]:
        """The fields the officer should check first (confidence below LOW_CONFIDENCE), in reading order."""
        return [f for f in CONFIDENCE_FIELDS if self.confidence.get(f, 1.0) < LOW_CONFIDENCE]

    def as_json(self, idx: str) -> dict[str, Any]:
        return {
            "id": idx,
            "text": self.text,
            "lead": self.lead,
            "lead_list": [r.name for r in self.resolutions],
            "lead_units": [
                {"written": r.written, "name": r.name, "status": r.status, "code": r.code, "title": r.title}
                for r in self.resolutions
            ],
            "coordinators": self.coordinators,
            "deadline": self.deadline.as_json(),
            "report": {
                "required": bool(self.report.get("required")),
                "conditional": bool(self.report.get("conditional")),
                "deadline": self.report_deadline.as_json() if self.report_deadline else None,
                "to": self.report.get("to", []),
            },
            "submit": self.submit,
            "submit_to": self.submit_to,
            "submit_deadline": self.submit_deadline.as_json() if self.submit_deadline else None,
            "requirements": self.requirements,
            "ongoing": self.ongoing,
            "urgent": self.urgent,
            "truncated": self.truncated,
            "issues": self.issues,
            "confidence": {f: round(self.confidence.get(f, 1.0), 2) for f in CONFIDENCE_FIELDS},
            "low_confidence": self.low_confidence,
        }


@dataclass
class Document:
    text: str
    meta: Metadata
    tasks: list[Task]
    local: bool

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.meta.as_json())
        out["local"] = self.local
        out["tasks"] = [t.as_json(str(i + 1)) for i, t in enumerate(self.tasks)]
        return out


@dataclass
class _Anchor:
    pos: int  # char where the task text starts
    phrase: Phrase | None
    kind: str  # trigger | subject | bullet | nolead
    header: bool = False  # "giao X:" closing its paragraph: the bullets below are X's tasks
    body: int = -1  # where the action starts when there is no performer phrase (after "yêu cầu:")


_STRONG_VERB = re.compile(
    r"\s*(?:chu\s*tri|co trach nhiem|chiu trach nhiem|tiep tuc|khan truong|phoi hop voi)\b"
)
# An obligation modal after the performer ("…, Trung tâm Y tế huyện cũng cần phải bố trí …"): the comma clause is an
# order to that body. Read on the text, not the folded form ("cần" and "căn cứ" fold alike); not a copula or a
# possession ("cần phải là", "phải có"), not a "… thì …" clause (a condition or a contrast: "Trước đây, các huyện
# phải … thì nay …"), not accountability ("phải chịu trách nhiệm trước …", see _NOT_AN_ACT).
_MODAL = re.compile(
    r"\s*(?:cũng\s+)?(?:cần phải|cần|phải)\s+(?!(?:phải\s+)?(?:là|có|được)\b)(?=\w)(?![^.;]*\bthì\b)",
    re.IGNORECASE,
)

# The speaker of a speech, named by title after a form of address ("đồng chí Bí thư Tỉnh ủy nhấn mạnh: …",
# "ông Giám đốc Sở lưu ý …"): what follows is the speech, whose own clauses name the performers.
_SPEECH_VERB = re.compile(
    r"[^,;:.]{0,60}?\b(?:nhan manh|luu y|khang dinh|phat bieu|chi ro|neu ro|cho biet|ket luan|danh gia|ghi nhan)\b"
)


# A speaker's header over the conclusions or opinions that follow: the items name their own performers.
_SPEAKS_HEADER = re.compile(r"\s*(?:da\s+)?(?:ket luan|co y kien|phat bieu|thong bao)(?:\s+nhu sau)?\s*:\s*")
_ASPECT = re.compile(r"^(?:(?:vua|cung|da|tiep tuc|truc tiep|co y kien)\s+)*")
_ADVERBS = re.compile(r"\s*(?:(?:khan truong|tiep tuc|truc tiep|kip thoi|thuong xuyen)\s*,?\s*)*")
_ASSIGNS = re.compile(
    r"\s*(?:(?:vua|cung|da|tiep tuc|truc tiep|co y kien)\s+)*"
    r"(?:giao\s*trach\s*nhiem\s*(?:cu\s*the\s*)?(?:cho\s*)?|giao\s*nhiem\s*vu\s*(?:va\s*phan\s*cong\s*)?(?:cho\s*)?"
    r"|phan\s*cong\s*(?:cho\s*)?|giao\s*cho|giao|yeu\s*cau|de\s*nghi|chi\s*dao(?:\s+(?:ro|cu the))?(?:\s+cho)?)(?P<colon>\s*(?:nhu sau\s*)?:)?\s*"
)


def _in_quote(text: str, s: int, at: int) -> bool:
    """Whether `at` lies inside a quotation opened in the sentence before it (“Lần này các bộ phải …”, a speaker's
    own words, reported): an obligation there is the speaker's view, not the order the text gives."""
    before = text[s:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _clause_starts(folded: str, s: int, e: int) -> list[int]:
    starts = [s]
    for m in re.finditer(r"[;:]\s+", folded[s:e]):
        starts.append(s + m.end())
    for m in re.finditer(r",\s+", folded[s:e]):
        starts.append(-(s + m.end()))  # a comma clause: only with a strong verb after the performer
    return starts


def _skip_intro(folded: str, pos: int, end: int) -> int:
    while True:
        seg = folded[pos:end]
        m = _MARKER.match(seg)
        if m and m.end() > 0 and m.group(0).strip():
            pos += m.end()
            continue
        m = _CONNECTORS.match(seg)
        if m and m.end() > 0:
            pos += m.end()
            continue
        return pos


def _toks_from(toks: list[Tok], pos: int) -> int:
    lo, hi = 0, len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


# A sentence that reports what a letter says ("Theo đó, ...", "Cụ thể, ..."): its orders are the letter's, whatever
# the tense of the report.
_CONTENT_FOLLOWS = re.compile(r"\s*(?:theo do|cu the)\s*,")


def _assigner_ok(seg: str, past: bool = False) -> bool:
    """What may precede a trigger in its clause: nothing, a connector, or the assigner ("UBND thành phố").
    An assigner in the past ("UBND TP đã giao ...") recites an earlier order, unless `past`: the sentence reports
    the letter's content ("Theo đó, X đã chỉ đạo Y ...")."""
    seg = _MARKER.sub("", seg, count=1).strip(" ,")
    seg = _CONNECTORS.sub("", seg).strip(" ,")
    # "Ủy ban nhân dân (UBND) thành phố Hồ Chí Minh (TP.HCM) ...": a short form in brackets is transparent.
    seg = re.sub(r"\s*\([^()]{1,20}\)", "", seg).strip(" ,")
    # "…, cho biết(,) UBND tỉnh yêu cầu …": the speaker reports the assigner's words.
    seg = re.sub(r"^cho biet\s*,?\s*(?=\S)", "", seg)
    # "Chủ tịch UBND tỉnh vừa có văn bản (số N) yêu cầu ...": the assigner and the document it writes.
    seg = re.sub(
        r"\s*\b(?:vua|da)?\s*(?:co|ky|ban hanh)\s+(?:van ban|cong van|cong dien|chi thi|dien khan)"
        r"(?:\s+(?:hoa toc|khan))?(?:\s+so\s+\S+)?$",
        "",
        seg,
    ).strip()
    # "UBND xã thông báo đề nghị …", "Sở Y tế (vừa) ra thông báo yêu cầu …": a verb of announcing in series with
    # the asking verb; the announcer is the assigner.
    seg = re.sub(r"\s*\b(?:(?:vua|da)\s+)?(?:(?:co|ra|phat)\s+)?thong bao(?:\s+so\s+\S+)?$", "", seg).strip()
    # "ngày 25/6/2021 Thống đốc …", "Hôm qua (16/8) …": the day the assigner wrote, before it.
    seg = re.sub(
        r"^(?:ngay|hom qua|hom nay|sang|chieu)\s*(?:\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?)?\s*",
        "",
        seg,
    ).strip(" ,")
    seg = re.sub(r"\b(?:vua|cung|tiep tuc|truc tiep|da co y kien|co y kien|vua co|da co)$", "", seg).strip()
    if not seg:
        return True
    head, comma, tail = seg.rpartition(",")
    if (
        comma
        and len(head.split()) >= 2
        and tail.strip()
        and not re.search(r"\b(?:yeu cau|chi dao|giao)\b", head)
    ):
        # "Kiểm tra dự án …, Thủ tướng yêu cầu …", "Chính vì thế, đại tá V yêu cầu …": a clause fronted before the
        # assigner (where, when, why) leaves the assigner whole after its comma.
        return _assigner_ok(tail, past)
    if re.search(r"\bda$", seg) and not past:
        return False
    return (
        bool(_ASSIGNER_START.match(seg)) and len(seg) < 120 and not re.search(r"\b(?:thuc hien|xet)\b", seg)
    )


_ADDRESSEES = re.compile(r"\b(?:gui|gui den|gui toi)\s*:\s*")
_TIME_INTRO = re.compile(
    r"(?:hang|moi)\s+(?:nam|thang|quy|tuan)|dinh ky|(?:truoc|cham nhat|trong|tu)\s+(?:ngay|thang|quy)"
)
_CHAIRS = re.compile(r"\bchu tri\s+(?:cuoc hop|hoi nghi|buoi lam viec|phien hop)\b")
_NOT_AN_ACT = re.compile(
    r"[\s,]*(?:chu tri\s+(?:cuoc hop|hoi nghi|buoi|phien hop|hop)"
    r"|chiu trach nhiem\s*(?:(?:toan dien|hoan toan|chinh)\s+)?(?:$|[.;,]|truoc\b|ve\b|doi voi\b|ca nhan\b))"
)
# An assigner and a trigger followed by the action with no performer: "Phó Thủ tướng yêu cầu đẩy nhanh ..."
_BARE_TRIGGER = re.compile(r"\byeu\s*cau\s+(?=[a-z])")
_ASKED_COLON = re.compile(r"\b(?:yeu\s*cau|chi\s*dao|de\s*nghi|giao)\s*:\s*$")
_COLON_TRIGGER = re.compile(r"\b(?:yeu\s*cau|chi\s*dao|de\s*nghi)\s*:\s*(?=\S)")
_INTRO = re.compile(
    r"(?:(?:sau khi|truoc khi|tren co so|can cu vao|de|nham|khi|trong qua trinh|thong qua|doi voi)\s+[^,;.]{3,200}"
    r"|(?:hang|moi)\s+(?:nam|thang|quy|tuan)[^;.]{0,60}?|dinh ky[^,;.]{0,60}|(?:truoc|cham nhat|trong|tu)\s+(?:ngay|thang|quy)"
    r"[^,;]{0,60}?),\s*"
)
# What a main clause's predicate may start with after its subject (a verb phrase, not a name or a number).
_PREDICATE = re.compile(
    r"\s*(?:co trach nhiem|can|phai|dinh ky|thuong xuyen|khan truong|tiep tuc|chu dong)?\s*[a-z]"
)
# What may follow a list of bodies without making it a clause: more level words ("..., thị xã."), punctuation.
_NO_PREDICATE = re.compile(
    r"[\s,;.]*(?:(?:va\s+)?(?:thanh pho|thi xa|thi tran|huyen|quan|xa|phuong|tinh)\b[\s,;.]*)*"
)


# A proposal to the superior is reported, not decided: "Sở X đề xuất UBND TP giao UBND cấp xã ...".
# (on the original text: in small letters only, "Trình" is also a person's name)
_PROPOSES = re.compile(r"\b(?:đề xuất|kiến nghị|xin|trình)\b")
_PROPOSES_ASSIGNMENT = re.compile(
    r"\s*(?:vua\s+|da\s+)?(?:de xuat|kien nghi|xin|trinh)\b[^;.]{0,80}?\bgiao\b"
)


# The subject's own proposal to those above it or its appeal to all ("Sở Công Thương đề xuất các cửa hàng …", "Ủy
# ban MTTQ huyện kêu gọi các cơ quan, doanh nghiệp …"): what it asks for is no order to anyone (an undated one).
_PROPOSES_OR_APPEALS = re.compile(r"\s*(?:(?:vua|da|cung|con|tiep tuc)\s+)*(?:de xuat|kien nghi|keu goi)\b")


# A predicate in the aspect of a reported fact ("UBND quận đã tổ chức ...", "Sở X vừa tổ chức hội nghị", "... đang
# hoàn thiện hồ sơ"): news narrative, not a directive's order (which is unmarked, or "sẽ", "phải", "cần").
_NARRATIVE = re.compile(
    r"\s*(?:(?:cung|deu|cung da|da va|con)\s+)?(?:da|vua|dang|da tung|tung)\b(?!\s+(?:duoc\s+)?giao\b)"
)
# A predicate that tells what a body is, has or has come to, not what it must do: "Thành phố Huế chính thức trở
# thành …", "Hội Nông dân tỉnh hiện có 120.000 hội viên", "Công an tỉnh đạt nhiều thành tích", "Đội ngũ cán bộ …
# thường xuyên được tập huấn" (a passive of anything but an assignment: "Sở X được giao …" is one).
_STATE = re.compile(
    r"\s*(?:(?:chinh thuc|hien|hien nay|deu|van|thuong xuyen|luon|cung|da|vua)\s+)*"
    r"(?:tro thanh|hien co\b|co\s+(?:\d|tren\s+\d|hon\s+\d)|dat\s+(?:nhieu|duoc|\d|ty le)"
    r"|duoc\s+(?!(?:giao|phan cong|yeu cau|de nghi|chi dao|uy quyen|uy nhiem|cu|huy dong|phep)\b)[a-z])"
)
# "X chỉ đạo Y ..." with X a body below the assigner's level (a department, a district, a centre): X's own task,
# which is to direct Y (GUIDE §4.2), unless X is reported as writing ("Sở Y tế vừa có văn bản chỉ đạo ...").
_SUBORDINATE = re.compile(
    r"(?:so|phong|trung tam|cong an|giam doc|ban quan ly|(?:chu tich\s+)?(?:ubnd|uy ban nhan dan)\s+"
    r"(?:cac\s+)?(?:quan|huyen|xa|phuong|thi xa|thi tran))\b"
)


# Bodies above a department or a district: the council and chair of a province or city, the Government, ministries.
_SUPERIOR = re.compile(
    r"(?:(?:chu tich\s+)?(?:ubnd|uy ban nhan dan)\s+(?:tinh|thanh pho|tp)|thu tuong|chinh phu|bo\b|hdnd|thuong truc)\b"
)
# "UBND huyện" with no name: the council writing the text (a district's own letter), not a body below it.
_BARE_LEVEL = re.compile(r"(?:ubnd|uy ban nhan dan)\s+(?:quan|huyen|xa|phuong|thi xa|thi tran)")
# What an assigner says before its orders ("UBND Thành phố có ý kiến như sau:"): never a performer's header.
_OPINION = re.compile(r"\s*(?:co y kien|chi dao|yeu cau|de nghi|ket luan|thong bao|giao|quyet dinh)\b")
# A sentence that opens on what came before or on whose account it is: background to the directive, or
# reported speech ("Trước đó, ...", "Thời gian qua, ...", "Theo Sở Y tế, ...", "Theo báo cáo của ..., ...").
_BACKGROUND = re.compile(
    r"\s*(?:thoi gian (?:vua )?qua|tu dau nam(?: den nay)?|nam qua"
    r"|theo\s+(?:ong|ba|lanh dao|dai dien|bao cao|thong ke|so\b|bo\b|cuc\b)[^,;.:]{0,80},)"
)
# An approval, a promulgation or an agreement is a decision taken, not work assigned (GUIDE §2.4).
_APPROVAL = re.compile(r"\s*(?:dong y|thong nhat|chap thuan|phe duyet|ban hanh|cong bo|thong qua)\b")
# A unit (not a person quoted): "Sở Tài chính: chủ trì thẩm định ..." is the unit's item, "Thủ tướng: ..." a quote.
_HEADS_UNIT = re.compile(r"(?:so|ubnd|uy ban|cong an|ban|cuc|phong|trung tam|van phong|cac)\b")
# A performer named as the topic of what follows ("Đối với Sở Y tế: ...", "Về phía các địa phương, cần ...").
_TOPIC = re.compile(r"(?:doi voi|ve phia|rieng)\s+")
_TOPIC_REST = re.compile(
    r"\s*(?::\s*\S|,\s*(?:can|phai|co trach nhiem|chu dong|khan truong|tiep tuc|tap trung|chu tri)\b)"
)
# A body's role in apposition after its name: "Bộ CHQS tỉnh, cơ quan thường trực Ban chỉ đạo, …".
_ROLE = re.compile(
    r",\s*(?:la\s+)?(?:co quan|don vi)\s+(?:thuong truc|chu tri|dau moi|chuyen mon|tham muu)\b"
)
# The rest of an assigner's clause that announces items below ("UBND huyện chỉ đạo một số nội dung sau:").
_LIST_INTRO = re.compile(r"[^.;:]{0,60}?\b(?:sau(?:\s+day)?|nhu sau)\s*:\s*")
# A paragraph that closes on such an announcement: its items are the assigner's orders, each its own task.
_ORDERS_FOLLOW = re.compile(
    r"\b(?:chi dao|yeu cau|de nghi|giao)\b[^.;:]{0,60}?\b(?:sau(?:\s+day)?|nhu sau)\s*:\s*$"
)


_PERSON_NAME = re.compile(r"(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]*){2,4}(?=\s+[a-zđà-ỹ])")


def _place_assigner(seg: str) -> bool:
    """A place standing for its government in news ("Hà Nội yêu cầu ...", "TP.HCM giao ...", "Đà Nẵng đề nghị
    ..."): one to four capitalised words, on the original text, maybe with "cũng", "vừa", "tiếp tục"."""
    words = seg.split()
    while words and words[-1] in ("cũng", "vừa", "tiếp", "tục"):
        words.pop()
    return 0 < len(words) <= 4 and all(w[:1].isupper() for w in words)


def _topic_performer(folded: str, toks: list[Tok], s: int, e: int) -> _Anchor | None:
    """ "Đối với Sở Y tế: chỉ đạo các bệnh viện ...", "Về phía Sở Công Thương, cần tăng cường ...": the performer
    named as the topic, then what it must do (with a colon, or a comma and a modal or duty verb)."""
    m = _TOPIC.match(folded, _skip_intro(folded, s, e), e)
    if not m:
        return None
    k = _toks_from(toks, m.end())
    if k >= len(toks) or not _starts_agency(toks, k):
        return None
    phrase = parse_performers(toks, k)
    if phrase is None:
        return None
    role = _ROLE.search(folded, phrase.start, e)
    if role is not None and role.start() < phrase.end and len(phrase.names) > 1:
        # "Đối với Bộ CHQS tỉnh, cơ quan thường trực Ban chỉ đạo cử cán bộ …": the role is not a second body; the
        # sentence goes on with what the topic body must do.
        k_end = _toks_from(toks, role.start())
        head = Phrase(phrase.start, role.start(), phrase.items[:1], phrase.names[:1], k_end, False)
        return _Anchor(s, head, "subject")
    if not _TOPIC_REST.match(folded, phrase.end, e):
        return None
    return _Anchor(s, phrase, "subject")


def _upward(seg: str, m: re.Match[str], folded: str, phrase: Phrase) -> bool:
    """A body below asks a body above ("Sở X đề nghị UBND tỉnh ...", "UBND huyện kiến nghị Bộ ...")."""
    if not m.group(1).startswith(("de nghi", "yeu cau")):
        return False
    subject = _CONNECTORS.sub("", _MARKER.sub("", seg, count=1).strip(" ,")).strip(" ,")
    if m.group(1).startswith("de nghi") and _ABOVE_ALL.match(folded, phrase.start):
        return True  # "(UBND tỉnh) đề nghị Thủ tướng xem xét …": a proposal to the Government, never an order
    if (
        m.group(1).startswith("de nghi")
        and _PROVINCE.search(subject)
        and re.match(r"bo\b", folded[phrase.start :])
    ):
        return True  # "UBND tỉnh Bến Tre cũng đề nghị Bộ GTVT hỗ trợ …": a province's request to a ministry
    return bool(_SUBORDINATE.match(subject)) and bool(_SUPERIOR.match(folded, phrase.start))


_ABOVE_ALL = re.compile(r"(?:thu tuong|chinh phu|quoc hoi)\b")
_PROVINCE = re.compile(r"(?:^|\s)(?:(?:chu tich\s+)?(?:ubnd|uy ban nhan dan)\s+)?tinh\b")


def _performer_at(toks: list[Tok], k: int) -> bool:
    """A performer phrase that parses starts at token k."""
    return k < len(toks) and (
        _starts_agency(toks, k) and parse_performers(toks, k) is not None or _place_alone(toks, k) is not None
    )


def _place_alone(toks: list[Tok], k: int) -> Phrase | None:
    """A place named alone right after the asking verb: its government is the performer ("đề nghị tỉnh Phú Yên tập
    trung …", "yêu cầu TP Cần Thơ khẩn trương …", "đề nghị Hà Nội xem xét …"). The name (a level word and a name in
    capitals, or a name of at least two capitalised syllables) must be followed by its verb in small letters."""
    if k >= len(toks):
        return None
    j = k
    if toks[k].f == "tp" and toks[k].text in ("TP", "Tp"):
        j = k + 2 if k + 1 < len(toks) and toks[k + 1].text == "." else k + 1
    elif not toks[k].cap:
        j = k + _level(toks, k)
        if j == k:
            return None
    e = j
    while e < len(toks) and e - j < 4 and toks[e].word and toks[e].cap and not _starts_agency(toks, e):
        if _adverb_at(toks, e):
            break
        e += 1
    if e - j < (1 if j > k else 2) or any(len(t.text) < 2 or t.text.isupper() for t in toks[j:e]):
        return None  # "đề nghị Bộ …" is a body (parsed as such); "UBND", "TTg": abbreviations, not a place's name
    if e >= len(toks) or not toks[e].word or toks[e].cap or toks[e].f in _NAME_VOCAB:
        return None
    return Phrase(
        toks[k].start, toks[e - 1].end, [(toks[k].start, toks[e - 1].end)], [_span_text(toks, k, e)], e
    )


def _directs_own(folded: str, seg: str, m: re.Match[str]) -> bool:
    """The trigger is a subordinate body's "chỉ đạo" in the present: its own task, not an assignment."""
    if m.group(1).strip() != "chi dao":
        return False
    subject = _CONNECTORS.sub("", _MARKER.sub("", seg, count=1).strip(" ,")).strip(" ,")
    return (
        bool(_SUBORDINATE.match(subject))
        and not _BARE_LEVEL.fullmatch(subject)  # "UBND huyện chỉ đạo UBND các xã ...": the district writing
        and not re.search(r"\b(?:vua|da|van ban|cong van)\b", subject)
    )


# A comma inside a name, not between clauses: "Ban Chỉ đạo quốc gia về phòng, chống thiên tai", "phòng, chữa cháy".
_NAME_COMMA = re.compile(r"(?<=\bphong), (?=(?:chong|chua)\b)")


# A news item's dateline before its first sentence: "(kontumtv.vn) – ", "(PLVN) - ", "Kinhtedothi - ".
_DATELINE = re.compile(r"\s*(?:\([^()]{2,20}\)\s*[-–]|[a-z][a-z0-9&.]{2,18}\s+[-–])\s")
# The council or government that issues the orders, named as itself (no other body's name after it).
_ISSUER_LEVEL = re.compile(
    r"(?:ubnd|uy ban nhan dan)\s+(?:tinh|thanh pho|tp)|thanh pho|tinh|chinh phu|thu tuong(?: chinh phu)?"
)
# "Đó là chỉ đạo của UBND tỉnh đối với …": a news sentence naming the performers of the order quoted before it.
_THAT_IS_THE_ORDER = re.compile(
    r"\s*(?:do|day) la\s+(?:(?:mot trong nhung|noi dung)\s+)?(?:chi dao|yeu cau|de nghi|y kien chi dao)\s+cua\s+"
    r"[^.;]{2,120}?\s+(?:doi voi|gui)\s+"
)
_ORDER_OPENS = re.compile(
    r"\s*(?:[“\"]|(?:xu ly|tuyet doi|nghiem cam|khong de|cam|ra soat|kiem tra|tang cuong)\b)"
)
# A paragraph that opens on a duty's verb with no performer ("Tham mưu …", "Tiếp tục đẩy mạnh …", "Thực hiện …").
_DUTY_OPENS = re.compile(
    r"\s*(?:tham muu|thuc hien|tiep tuc|tang cuong|day manh|phoi hop|to chuc|trien khai|kiem tra|ra soat"
    r"|huong dan|theo doi|don doc|tuyen truyen|chu dong|nghiem tuc|dam bao|bao dam|khan truong|tap trung"
    r"|tong hop|nghien cuu|chi dao|xay dung|hoan thanh|chuan bi|giam sat|cap nhat)\b"
)
# A sentence that delivers a report ("Đồng thời, báo cáo đề nghị gửi về Tổng cục … trước ngày …").
_DELIVERY = re.compile(r"\s*(?:dong thoi,?\s*)?(?:bao cao|ket qua)\b[^.;]{0,120}?\bgui\b")
_CAPTION = re.compile(r"(?:^|[.\s(])anh\s*:\s*[^.:;]{2,40}[.)]?$")
# A meeting reported ("… chủ trì hội nghị", "tại buổi làm việc"), and what a participant does there: presents a report
# with no one to send it to ("Sở X báo cáo kết quả …", "… trình bày dự thảo …").
_MEETING = re.compile(r"\b(?:hoi nghi|cuoc hop|buoi lam viec|phien hop|du hop)\b")
# A subject that holds, concludes or attends a meeting: the meeting reported, no work assigned.
_HOLDS_MEETING = re.compile(
    r"\s*(?:(?:da|vua)\s+)?(?:to chuc|tien hanh|ket luan|du|tham du|hop)\s+(?:(?:cuoc|phien|buoi)\s+)?"
    r"(?:hoi nghi|cuoc hop|hop|phien hop|buoi lam viec)\b(?![^.;]*\b(?:truoc|cham nhat|xong)\b)"
)
_PRESENTS = re.compile(
    r"\s*(?:bao cao|trinh bay|thong tin)\s+(?:tom tat\s+|nhanh\s+|so bo\s+)?(?:ve\s+)?"
    r"(?:ket qua|tinh hinh|tien do|du thao|noi dung|cong tac)\b"
    r"(?![^;.]*\b(?:ve|len|cho|toi)\s+(?:ubnd|uy ban|so|bo|thu tuong|chu tich|ban|van phong|cuc)\b)"
)


_CUTS = re.compile(r"[,;:]")
_PAST_VERB = re.compile(r"\b(?:da|vua)\s+[a-z]")
_PROCLAIMS = re.compile(r"[;:]")


# "thực hiện (các nội dung sau) (như sau):" after the performers, blanks around it: the items below say what
_HEADER_REST = re.compile(r"\s*(?:thuc hien\s*(?:cac noi dung sau\s*)?)?(?:nhu sau\s*)?:\s*")


def _unblank(folded: str, a: int, b: int) -> tuple[int, int]:
    """The bounds of folded[a:b] without its leading and trailing blanks (reading only the blanks)."""
    while a < b and folded[a].isspace():
        a += 1
    while b > a and folded[b - 1].isspace():
        b -= 1
    return a, b


def _conjoined_at(folded: str, a: int, b: int) -> int:
    """Where " va " stands right before b (only blanks between) inside folded[a:b], else -1: what
    `folded.rfind(" va ", a, b)` followed by a check that only blanks follow it found, without reading back
    over the whole clause."""
    k = b
    while k > a and folded[k - 1].isspace():
        k -= 1
    if k - 3 >= a and k + 1 <= b and folded[k - 3 : k + 1] == " va ":
        return k - 3
    return -1


def _last_comma(folded: str, s: int, e: int) -> int:
    """Where the last clause-cutting comma of folded[s:e] is (-1: none)."""
    cut = folded.rfind(",", s, e)
    while cut >= 0 and _NAME_COMMA.match(folded, cut):
        cut = folded.rfind(",", s, cut)
    return cut


# What the addressees of a letter must do, right after their names: a verb, not a purpose, a topic or a request.
# A letter signed and sent about a subject ("vừa ký công văn gửi … về việc …"), with no asking verb in the clause.
_LETTER_SENT = re.compile(
    r"\b(?:vua|da)\s+(?:ky|ban hanh|co)\s+(?:[a-z]+\s+){0,2}?(?:cong van|van ban|cong dien)\b[^.;]{0,120}?"
    r"\bgui\b[^.;]*?\b(?:ve viec|lien quan)\b"
)
_ASKS_IN = re.compile(r"\b(?:yeu cau|de nghi|chi dao|giao)\b")
_ADDRESSEES_ACT = re.compile(
    r"\s+(?!(?:ve|de|nham|voi|va|cua|tai|theo|lien quan|cung\s+(?:voi\s+)?(?:cac\s+)?(?:benh vien|so|ubnd|bo|cong an|ban"
    r"|trung tam|don vi|co quan|truong)|yeu cau|de nghi|kien nghi|xin|biet|thuc hien|trien khai|nghien cuu)\b)[a-z]"
)


def _after_bare_list(folded: str, toks: list[Tok], s: int, cs: int) -> bool:
    """The ';' clause starting at cs follows a segment that is only a list of bodies (no predicate of its own)."""
    semi = folded.rfind(";", s, cs)
    if semi < 0 or folded[semi + 1 : cs].strip():
        return False
    prev = max(folded.rfind(";", s, semi), folded.rfind(":", s, semi)) + 1
    # "… công văn gửi Trưởng phòng GD&ĐT các quận; Hiệu trưởng …; …": the addressees of a letter sent
    sent = list(re.finditer(r"\b(?:gui|den|toi)\s+(?=\S)", folded[max(prev, s) : semi]))
    if sent:
        names = toks[_toks_from(toks, max(prev, s) + sent[-1].end()) : _toks_from(toks, semi)]
        if (
            names
            and names[0].cap
            and all(x.cap or not x.word or x.f not in _STOP and x.f not in _VERB_WORDS for x in names)
        ):
            return True
    if prev <= 0 or prev <= s:
        return False
    k = _toks_from(toks, prev)
    if k >= len(toks) or toks[k].start >= semi or not _starts_agency(toks, k):
        return False
    phrase = parse_performers(toks, k)
    return phrase is not None and (
        phrase.end >= semi or _NO_PREDICATE.fullmatch(folded, phrase.end, semi) is not None
    )


def _items_follow(folded: str, at: int) -> bool:
    """A list item (a bullet or a number) opens the next line: a line ending on ':' before it heads the items."""
    nl = re.compile(r"[ \t]*\n\s*").match(folded, at)
    return nl is not None and _MARKER.match(folded[nl.end() : nl.end() + 12]) is not None


def _duties_follow(folded: str, at: int) -> bool:
    """The next line opens on a duty's verb ("Tiếp tục thực hiện …", "Tăng cường kiểm tra …"): a line ending on ':'
    before it heads those duties, as it heads a bulleted list."""
    nl = re.compile(r"[ \t]*\n\s*").match(folded, at)
    return nl is not None and _DUTY_OPENS.match(folded, nl.end()) is not None


# A duty line whose performer is inherited or unsaid: "Việc tiếp nhận học sinh … cần / phải thực hiện …" (the work
# as the topic, then the modal), "Tuyệt đối không được …" (a prohibition).
_TOPIC_DUTY = re.compile(
    r"\s*(?:viec\s+[^.;:]{3,150}?\s(?:phai|can)\s+(?!(?:la|co|duoc)\b)[a-z]|tuyet doi\s+khong\b)"
)


def _duty_line(pfold: str) -> bool:
    return _DUTY_OPENS.match(pfold) is not None or _TOPIC_DUTY.match(pfold) is not None


def _asks_unsaid(folded: str, toks: list[Tok], phrase: Phrase, ce: int) -> bool:
    """ "…, Bộ Y tế yêu cầu / đề nghị <verb> …" after a fronted circumstance: a superior's order whose performer is
    left unsaid (read as a no_lead task below), though the clause opens after a comma."""
    am = _ASSIGNS.match(folded, phrase.end, ce)
    if am is None or am.group("colon") or not _SUPERIOR.match(folded, phrase.start):
        return False
    if am.group(0).strip().split()[-2:] not in (["yeu", "cau"], ["de", "nghi"]):
        return False
    return _unsaid_after(folded, toks, am.end(), ce)


def _unsaid_after(folded: str, toks: list[Tok], at: int, ce: int) -> bool:
    """What follows an asking verb at `at` is the work itself: no performer, and no capitalised word that names one
    the grammar does not know ("đề nghị Nhân dân …"); long enough to be an order (six words or more)."""
    k = _toks_from(toks, at)
    if k < len(toks) and toks[k].cap:
        return False
    return not _performer_at(toks, k) and len(folded[at:ce].split()) >= 6


# The longest clause before a trigger that is looked at for its assigner (see _assigner_ok, under 120 characters
# once its connectors, brackets and dates are dropped).
_SEG_MAX = 600
#: The anchors of a sentence a new trigger is checked against: the last ones (their phrases end near it).
_NEAR_ANCHORS = 16


def _find_anchors(text: str, folded: str, toks: list[Tok], s: int, e: int) -> list[_Anchor]:
    """Where tasks start in one sentence: trigger anchors first, then performers as clause subjects."""
    topic = _topic_performer(folded, toks, s, e)
    if topic is not None:
        return [topic]
    anchors: list[_Anchor] = []
    # The last clause cut (a comma that is no name's, ';', ':') before each trigger, found by reading the sentence
    # once from left to right (triggers come in order): searching back from every trigger of an unpunctuated text
    # cost time growing with the square of its length. Likewise the first past-tense verb and ';'/':' of the
    # sentence, looked up once.
    cut, scanned = -1, s
    past_at = semi_at = -2  # -2: not looked up yet; -1: none
    for m in _TRIGGER.finditer(folded, s, e):
        near = anchors[
            -_NEAR_ANCHORS:
        ]  # a sentence of thousands of triggers: no comparison with every anchor
        if any(a.phrase and a.phrase.start <= m.start() < a.phrase.end for a in near):
            continue
        if any(a.phrase and _ADVERBS.fullmatch(folded[a.phrase.end : m.start()]) for a in near):
            continue  # "đề nghị X chỉ đạo Y ...": X is the performer, Y what X must direct (GUIDE §4.2)
        for c in _CUTS.finditer(folded, scanned, m.start()):
            if c.group(0) != "," or not _NAME_COMMA.match(folded, c.start()):
                cut = c.start()
        scanned = max(scanned, m.start())
        seg_start = s if cut < 0 else cut + 1
        seg = folded[seg_start : m.start()]
        va = _conjoined_at(folded, seg_start, m.start())
        if va >= 0:
            if past_at == -2:
                pm = _PAST_VERB.search(folded[s:e])
                past_at = s + pm.end() if pm else -1
                sm = _PROCLAIMS.search(folded, s, e)
                semi_at = sm.start() if sm else -1
            if 0 <= past_at <= va and not 0 <= semi_at < va:
                continue  # "UBND huyện đã triển khai …, … và chỉ đạo 3 xã …": a conjoined verb keeps the past
            seg, seg_start = "", va + 4
        if len(seg) > _SEG_MAX:
            # A clause this long before its trigger names no assigner (an assigner is under 120 characters) and
            # scanning it again for each trigger of an unpunctuated text would cost time growing with its square.
            continue
        if _directs_own(folded, seg, m):
            continue  # "Sở Y tế chỉ đạo Trung tâm ...": the department's own task (found as a subject below)
        if (
            m.group(1).strip() == "chi dao"
            and (cut < 0 or folded[cut] == ";")
            and not _CONNECTORS.sub("", _MARKER.sub("", seg, count=1).strip(" ,")).strip(" ,")
        ):
            # "Chỉ đạo các cấp hội … tổ chức đại hội …" with no assigner before it: not an assignment to the bodies
            # named but the duty of a performer left unsaid, who must direct them (GUIDE §4.1, §4.2). Inside a
            # clause chain ("Đẩy mạnh …; chỉ đạo …") it goes on the task begun before it.
            if not anchors and len(folded[m.end() : e].split()) >= 5:
                at = _skip_intro(folded, s, e)
                anchors.append(_Anchor(at, None, "nolead", body=at))
            continue
        speaker = (
            _assigner_ok(
                seg,
                past=_CONTENT_FOLLOWS.match(folded, s, e) is not None
                or getattr(_SOURCE, "past", False)
                and not m.group(1).startswith("phan")
                and not _EARLIER.match(folded, s, m.start()),
            )
            or m.group(1).startswith("giao")
            and _FRONTED_WORK.fullmatch(_CONNECTORS.sub("", seg.strip(" ,")).strip(" ,")) is not None
            or _place_assigner(text[seg_start : m.start()])
            or not m.group(1).startswith("giao")
            and _DOC_SPEAKER.fullmatch(_CONNECTORS.sub("", seg.strip(" ,")).strip(" ,")) is not None
        )
        if not speaker or _PROPOSES.search(text, seg_start, m.start()):
            continue  # "Sở X đề xuất UBND TP giao Y ...": an assignment proposed, reported, not made
        k = _toks_from(toks, m.end())
        if k >= len(toks):
            continue
        phrase = parse_performers(toks, k) if _starts_agency(toks, k) else _place_alone(toks, k)
        if phrase is None:
            continue
        if re.match(r"\s*(?:cua|tai|ve viec)\b", folded[phrase.end : phrase.end + 12]):
            continue
        if m.group("sent") and not _ADDRESSEES_ACT.match(folded, phrase.end, e):
            continue  # "… văn bản gửi các sở về việc …", "… gửi Bộ Y tế để biết": a letter sent, no order in it
        if _upward(seg, m, folded, phrase) and _strict():
            continue  # "Sở Xây dựng đề nghị UBND thành phố xem xét ...": a request up the hierarchy, not an order
        # what follows the performers, without its blanks; read only when short (a header line), so that a
        # sentence of thousands of triggers is not copied again after each of them
        ra, rb = _unblank(folded, phrase.end, e)
        rest = folded[ra:rb] if rb - ra < 150 else " " * 150
        header = _HEADER_REST.fullmatch(folded, phrase.end, e) is not None or (
            # "... tập trung triển khai thực hiện các nội dung sau:": the items below say what
            len(rest) < 150 and bool(re.search(r"(?:\bsau(?:\s+day)?|\bnhu sau|\bthuc hien)\s*:$", rest))
        )
        # a short action line ending on ':' over list items ("giao Sở Y tế thực hiện các nội dung:"): a header
        header = header or len(rest) < 150 and rest.endswith(":") and _items_follow(folded, e)
        # "Các Sở: A, B; Công an tỉnh … theo chức năng nhiệm vụ:" over lines that open on the duty's verb: a header
        header = header or len(rest) < 150 and rest.endswith(":") and _duties_follow(folded, e)
        start = m.start()
        if _MARKER.sub("", seg, count=1).strip(" ,"):
            start = _skip_intro(folded, seg_start + len(seg) - len(seg.lstrip()), m.start())
        anchors.append(_Anchor(start, phrase, "trigger", header))
    # A sentence opening with an adverbial clause ("Sau khi ban hành Kế hoạch, các cơ quan ... báo cáo ...",
    # "Trên cơ sở ..., Sở KH&ĐT chủ trì ..."): the subject of the main clause follows the intro's comma.
    s_intro = _skip_intro(folded, s, e)
    intro = bool(_INTRO.match(folded, s_intro, e))
    placed = _Placed(folded, s, e, anchors)
    for cs in _clause_starts(folded, s, e):
        comma = cs < 0
        cs = abs(cs)
        ce = placed.next_semicolon(cs)
        p = _skip_intro(folded, cs, ce)
        k = _toks_from(toks, p)
        if k >= len(toks) or toks[k].start >= ce or not _starts_agency(toks, k):
            continue
        if placed.covered(toks[k].start):
            continue
        if placed.trigger_from <= toks[k].start and comma:
            continue
        if comma and not toks[k].cap and toks[k].f in ("don", "co", "dia", "nganh", "ban", "so", "bo"):
            continue  # "các cơ quan, đơn vị, ...": the next member of a list begun before the comma
        if not comma and cs > s and _after_bare_list(folded, toks, s, cs):
            continue  # "… đoàn đại biểu: Tỉnh ủy, UBND tỉnh; các sở, ngành; các cơ quan … đến chúc mừng": a list goes on
        phrase = parse_performers(toks, k)
        if phrase is None:
            continue
        # "… yêu cầu: Các Sở: Tư pháp, Nội vụ; Công an tỉnh và UBND các huyện …": the bodies asked, after the
        # asking verb's colon; a list of them cut by ";" is one subject, its clause ending at the first ";" after it
        asked = not comma and _ASKED_COLON.search(folded[max(s, cs - 20) : cs]) is not None
        if phrase.end > ce and asked:
            ce = placed.next_semicolon(phrase.end)
        if placed.phrase_starts_inside(phrase.start, phrase.end):
            continue  # a name run that swallowed the trigger ("UBND tỉnh yêu cầu các trường THPT"): the assigner
        if any(
            a.pos <= phrase.start < a.phrase.start
            and not re.search(r"[,;:]", folded[phrase.end : a.phrase.start].rstrip(" ,"))  # "đề nghị, X"
            for a in placed.triggers_around(phrase.start)
            if a.phrase
        ):
            continue  # part of the assigner before the trigger ("Ban Thường trực Ủy ban MTTQ tỉnh đề nghị X …")
        after = folded[phrase.end : ce]
        main = intro or p > cs  # after an adverbial intro, or opened by "vì vậy", "do đó", ...
        if comma and not main:
            # "… yêu cầu: từ ngày 30/4 đến hết ngày 03/5, các đơn vị bố trí …": a time adverbial after ':' or ';'
            b = placed.last_stop_before(cs) + 1
            if b > s:
                b += len(folded[b:cs]) - len(folded[b:cs].lstrip())
                im = _INTRO.match(folded, b, e)
                main = im is not None and im.end() == cs and _TIME_INTRO.match(folded, b, cs) is not None
        before = placed.first_pos < cs  # a task of a later clause leaves this one its own
        if comma and (
            before
            or not (
                _STRONG_VERB.match(after)
                or (m_ := _MODAL.match(text, phrase.end, ce)) is not None
                and not _NOT_AN_ACT.match(folded, m_.end(), ce)
                and not _in_quote(text, s, cs)
                or main
                and _PREDICATE.match(after)
                or _asks_unsaid(folded, toks, phrase, ce)
            )
        ):
            continue
        if re.match(r"\s*(?:sau|duoi)\s+day\b", after):
            placed.add(_Anchor(cs, phrase, "subject", True))
            continue  # "Các cơ quan, đơn vị sau đây chịu trách nhiệm ...:" introduces items naming their own
        if (
            folded[phrase.start : phrase.end] in ("dong chi", "ong", "ba")
            and _ASSIGNER_START.match(folded[phrase.end : ce].lstrip())
            and _SPEECH_VERB.match(folded, phrase.end, ce)
            and _strict()
        ):
            continue  # "đồng chí Bí thư Tỉnh ủy nhấn mạnh: …": a speaker named by a title, not a performer
        name = _PERSON_NAME.match(text, phrase.end, ce)
        verb_at = name.end() if name else phrase.end  # "Chủ tịch Lê Hoàng Quân giao ...": the bearer, named
        am = _ASSIGNS.match(folded[verb_at:ce])
        # the asking verb without the aspect words before it ("cũng yêu cầu", "vừa chỉ đạo")
        verb = _ASPECT.sub("", am.group(0).strip()) if am else ""
        own = (
            am is not None
            and verb == "chi dao"
            and bool(_SUBORDINATE.match(folded, phrase.start))
            and not _BARE_LEVEL.fullmatch(folded, phrase.start, phrase.end)
        )
        if (
            am
            and not own
            and (
                am.group("colon")
                or _performer_at(toks, _toks_from(toks, verb_at + am.end()))
                or _LIST_INTRO.fullmatch(folded, verb_at + am.end(), e)
            )
        ):
            continue  # the subject is the assigner; the trigger names the performer (or the list below)
        if (
            am
            and not own
            and (
                verb.startswith("yeu cau")
                # "Bộ Y tế đề nghị bố trí …": a body above asks with the performer left unsaid (its addressees);
                # a department's or district's "đề nghị <verb>" is its own proposal, not an order
                or verb.startswith("de nghi")
                and _SUPERIOR.match(folded, phrase.start) is not None
                and _unsaid_after(folded, toks, verb_at + am.end(), ce)
            )
            and _assigner_ok(folded[cs : phrase.end])
            and len(folded[verb_at + am.end() : ce].split()) >= 6
        ):
            # "Công an TP Hà Nội yêu cầu siết chặt …": an assigner's order with its performer left unsaid (no_lead)
            placed.add(_Anchor(cs, None, "nolead", body=verb_at + am.end()))
            continue
        if _SPEAKS_HEADER.fullmatch(after):
            continue  # "Phó Chủ tịch UBND tỉnh kết luận như sau:": the speaker's conclusions follow, not an order
        if after.strip() in (":", "nhu sau:") or (
            len(after) < 150
            and (
                re.search(r"(?:\bsau(?:\s+day)?|\bnhu sau)\s*:\s*$", after)
                or after.rstrip().endswith(":")
                and (_items_follow(folded, ce) or _duties_follow(folded, ce))
            )
            and not _OPINION.match(after)
        ):
            if not _APPROVAL.match(
                after
            ):  # "UBND tỉnh ban hành Kế hoạch … như sau:": the issuer's document follows
                placed.add(_Anchor(cs, phrase, "subject", True))
            continue
        if after.startswith(":") and not (
            _HEADS_UNIT.match(folded, phrase.start)
            and re.match(r":\s*[a-z]", folded[phrase.end : e])
            and text[s:e].rstrip().endswith((".", ";"))
        ):
            continue  # a quoted headline ("Thủ tướng: Tập trung gỡ vướng ..."), not an assignment
        if _NO_PREDICATE.fullmatch(after) or re.match(r"\s*[;.]", after):
            continue  # a body with no predicate (an addressee, a member of a list cut by ";"): no assignment
        if (
            (
                (_NOT_AN_ACT.match(after) or _CHAIRS.search(after))
                # the clauses after the next ';' (read only here: a sentence of many clauses is not copied for each)
                and not (
                    _dated(duty_after := folded[placed.next_semicolon(phrase.end) + 1 : e])
                    or _REPORT_VERB.search(duty_after)
                )
            )
            or len(after.split()) < 3
        ):
            continue  # "..., chủ trì cuộc họp", "... chịu trách nhiệm." (accountability), a name on its own line
        if (
            _RECITAL_VERB.match(after)
            or _PROPOSES_ASSIGNMENT.match(after)
            or _NARRATIVE.match(after)
            or _STATE.match(after)
        ) and _strict():
            continue
        if _LETTER_SENT.search(after) and not _ASKS_IN.search(after) and _strict():
            continue  # "Bộ trưởng Y tế X vừa ký công văn gửi UBND các tỉnh về việc …": a letter recited, no order
        if (
            name
            and (_RECITAL_VERB.match(folded[verb_at:ce]) or _NARRATIVE.match(folded[verb_at:ce]))
            and _strict()
        ):
            continue  # "Đồng chí Lê Văn A ghi nhận, biểu dương …": the person's words or acts, after the name
        if (
            cs == s
            and _DATELINE.match(folded, s, e)
            and not re.match(r"\s*(?:phai|can|co trach nhiem|chiu trach nhiem)\b", after)
            and not _TRIGGER.match(after.lstrip())
            and _strict()
        ):
            continue  # "(kontumtv.vn) – Ban X triển khai nhiệm vụ …": a news lead tells what a body does, not an order
        if (
            re.match(r"\s*se\b", after)
            and _ISSUER_LEVEL.fullmatch(folded, phrase.start, phrase.end)
            and _strict()
        ):
            continue  # "Sau đó, UBND thành phố sẽ tạm ứng …": the issuing council's own next step, not an order
        if _PROPOSES_OR_APPEALS.match(after) and not asked and not _dated(after) and _strict():
            continue  # "Sở X đề xuất …", "Ủy ban MTTQ kêu gọi …": a proposal upward or an appeal, not an order
        if _HOLDS_MEETING.match(after) and _strict():
            continue  # "UBND huyện tổ chức hội nghị …", "Đồng chí X kết luận hội nghị": the meeting, reported
        if _PRESENTS.match(after) and placed.meeting() and not _dated(after) and _strict():
            continue  # "Bộ CHQS tỉnh báo cáo kết quả chuẩn bị …" at a meeting reported above: what it presented
        if placed.conjoined_trigger(phrase.end, ce):
            continue  # "BHXH Việt Nam xây dựng chỉ tiêu ... và yêu cầu BHXH các tỉnh ...": the assigner's own act
        # a time adverbial before the subject is in the task's scope ("Hàng năm, trước ngày 15 tháng 01, Sở X ...")
        at = s_intro if comma and intro and not before and _TIME_INTRO.match(folded, s_intro, e) else cs
        placed.add(_Anchor(at, phrase, "trigger" if asked else "subject", False))
    anchors.sort(key=lambda a: a.pos)
    return anchors


class _Placed:
    """The anchors of one sentence found so far, indexed for the clause checks of `_find_anchors`, and the
    sentence's ';' and ':' listed once: comparing every clause with every anchor, or searching back and forth from
    every clause for a ';', cost time growing with the square of a sentence of many clauses (issue 17). Each
    query answers exactly what the comparison with every anchor answered."""

    def __init__(self, folded: str, s: int, e: int, anchors: list[_Anchor]) -> None:
        self.folded, self.s, self.e, self.anchors = folded, s, e, anchors
        self.semis = [m.start() for m in re.finditer(";", folded[s:e])]
        self.stops = [m.start() for m in _PROCLAIMS.finditer(folded[s:e])]
        self.cover = bytearray(e - s + 1)  # positions inside (or 2 before) an anchor's performers
        self.phrase_starts: list[int] = []
        self.trigger_from = e + 1  # the first position of a trigger anchor
        self.first_pos = e + 1  # the first position of any anchor
        self.triggers: list[tuple[int, int]] = []  # (position, index in anchors) of triggers with performers
        self.reach = 0  # the longest stretch from a trigger anchor's position to its performers
        self.conjoined: list[
            tuple[int, int]
        ] = []  # ("va" right before a trigger anchor, its index in anchors)
        for i, a in enumerate(anchors):
            self._index(a, i)

    def add(self, a: _Anchor) -> None:
        self.anchors.append(a)
        self._index(a, len(self.anchors) - 1)

    def _index(self, a: _Anchor, i: int) -> None:
        self.first_pos = min(self.first_pos, a.pos)
        if a.phrase is not None:
            lo, hi = max(self.s, a.phrase.start - 2), min(self.e, a.phrase.end)
            if hi > lo:
                self.cover[lo - self.s : hi - self.s] = b"\x01" * (hi - lo)
            insort(self.phrase_starts, a.phrase.start)
        if a.kind != "trigger":
            return
        self.trigger_from = min(self.trigger_from, a.pos)
        if a.phrase is not None:
            insort(self.triggers, (a.pos, i))
            self.reach = max(self.reach, a.phrase.start - a.pos)
        k = a.pos
        while k > 0 and self.folded[k - 1].isspace():
            k -= 1
        if k >= 2 and self.folded[k - 2 : k] == "va":
            insort(self.conjoined, (k - 2, i))

    def covered(self, x: int) -> bool:
        """Whether an anchor's performers (or the two characters before them) take in position x."""
        return self.s <= x <= self.e and self.cover[x - self.s] == 1

    def phrase_starts_inside(self, a: int, b: int) -> bool:
        k = bisect_right(self.phrase_starts, a)
        return k < len(self.phrase_starts) and self.phrase_starts[k] < b

    def triggers_around(self, x: int) -> list[_Anchor]:
        """The trigger anchors with performers that may stand before x with their performers after it."""
        lo = bisect_left(self.triggers, (x - self.reach, -1))
        hi = bisect_right(self.triggers, (x, len(self.anchors)))
        return [self.anchors[i] for _, i in self.triggers[lo:hi]]

    def conjoined_trigger(self, a: int, b: int) -> bool:
        """A trigger anchor after a and before b with only "và" and blanks between folded[a:] and it (a word of its
        own: "… và yêu cầu …")."""
        k = bisect_left(self.conjoined, (a, -1))
        while k < len(self.conjoined) and self.conjoined[k][0] < b:
            q, i = self.conjoined[k]
            pos = self.anchors[i].pos
            if a < pos < b and (q == a or not (self.folded[q - 1].isalnum() or self.folded[q - 1] == "_")):
                return True
            k += 1
        return False

    def next_semicolon(self, at: int) -> int:
        k = bisect_left(self.semis, at - self.s)
        return self.s + self.semis[k] if k < len(self.semis) else self.e

    def last_stop_before(self, at: int) -> int:
        """The last ';' or ':' of the sentence before `at` (-1: none)."""
        k = bisect_left(self.stops, at - self.s)
        return self.s + self.stops[k - 1] if k else -1

    def meeting(self) -> bool:
        """Whether the document tells of a meeting (looked up once per document)."""
        seen = getattr(_SOURCE, "meeting", None)
        if seen is None or seen[0] is not self.folded:
            seen = (self.folded, _MEETING.search(self.folded) is not None)
            _SOURCE.meeting = seen
        return bool(seen[1])


_INTRODUCES = re.compile(r"(?:chi dao|yeu cau|y kien|nhu sau|cu the)\s*(?:nhu sau)?\s*:\s*$")
_DATE_LINE = re.compile(r"\n\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{4}(?:\s*,?\s*\d{1,2}[:h]\d{2})?\s*$")


def _is_headline(text: str, pfold: str, ps: int, pe: int) -> bool:
    """A news headline: no final punctuation, and a date line (the posting date) closing it."""
    body = text[ps:pe].rstrip()
    if body.endswith((".", ";", ":", "!", "?", "…")):
        return False
    return bool(_DATE_LINE.search(pfold))


# A body that names the headline's words as the order ("(DNVN) - Đó là yêu cầu mà Bộ X …"): the headline is the task.
_NAMES_THE_HEADLINE = re.compile(r"(?:^|\s[-–]\s)(?:do|day) la (?:yeu cau|chi dao|de nghi)\b")


def _said(pfold: str) -> str:
    """A paragraph's words without its list marker ("• X" and "X" are the same line printed twice)."""
    return " ".join(_MARKER.sub("", pfold, count=1).split())


def _closed(body: str) -> bool:
    """A paragraph that ends as a sentence does: a final stop, or a bracket or quote closing one ('… 4 tại chỗ”' is
    a headline's quoted motto, '… “khẩn trương”.' a sentence)."""
    if body.endswith((".", ";", ":", "!", "?", "…", ")")):
        return True
    return body.endswith(("”", '"')) and body[:-1].rstrip().endswith((".", "!", "?", "…"))


def _is_boiler(folded_sentence: str) -> bool:
    return bool(_BOILER.search(folded_sentence.strip()))


_CONTINUATION = re.compile(
    r"^(?:yeu cau\s+(?:hoan thien|gui)|bao cao\s+(?:gui|ve)|ket qua|trinh\b|hoan thanh|thoi han|thoi gian\s+(?:hoan thanh"
    r"|thuc hien)|thoi gian\b(?=[^.;]{0,200}?\b(?:tu|truoc|cham nhat|den|trong)\s+(?:ngay\s+)?\d)|(?:cac\s+)?(?:nhiem vu|noi dung|cong viec)\s+(?:tren|neu tren)\b|dong thoi,?\s*"
    r"(?:tong hop,?\s*)?(?:bao cao|gui)|gui\s+(?:ve|bao cao)|trong do,|san pham"
    # a passive delivery sentence that dates the work above ("Báo cáo sơ kết ... gửi về Ủy ban Dân tộc trước ngày")
    r"|(?:bao cao|so lieu|danh sach|van ban|y kien|ho so|de xuat|ke hoach)\b[^.;]{0,250}?\b(?:gui|nop)\s+(?:ve\s+)?"
    r"[^.;]{0,120}?\b(?:truoc|cham nhat|han)\b)"
)


def _aside(text: str, ps: int, pe: int) -> bool:
    """A short parenthetical paragraph between a task and the sentence that dates it."""
    para = text[ps:pe].strip()
    return para.startswith("(") and para.endswith(")") and len(para) < 160


# A passive delivery of a document, dated: "Báo cáo cả năm gửi trước ngày 10/01", "Hồ sơ … nộp về Sở X chậm nhất …".
_PASSIVE_DELIVERY = re.compile(
    r"(?:bao cao|so lieu|danh sach|ho so|de xuat|ke hoach)\b[^.;]{0,250}?\b(?:gui|nop)\s+(?:ve\s+)?"
    r"[^.;]{0,120}?\b(?:truoc|cham nhat)\b[^.;]{0,20}\d"
)


def _continues(folded: str) -> bool:
    f = _MARKER.sub("", folded, count=1).strip()
    return bool(_CONTINUATION.match(f))


# Report and submission (GUIDE §4.5): decided by the verb the performer must carry out.
_RECIPIENT = (
    r"(?:bang van ban\s+)?(?:ve\s+|len\s+)?(?:cho\s+)?(?:pho\s*thu\s*tuong|pho\s*chu\s*tich|dang\s*uy|cap\s*co\s*tham\s*quyen|ban\s*chi\s*dao|bcd\b|ubnd|uy\s*ban|thu\s*tuong|chu\s*tich|bo\b|so\b|thanh\s*uy|tinh\s*uy|hdnd|hoi dong|ban\b|van\s*phong|chinh\s*phu|tong\s*cuc|cuc\b|cap tren|lanh dao|quoc hoi|thuong truc|bao\s*hiem|bhxh|kho\s*bac|cong\s*an|nguoi co tham quyen"
    r"|trung\s*uong|thuong\s*vu|(?:huyen|quan|thi|xa|phuong)\s*uy|to\s*cong\s*tac)"
)
# What before "báo cáo" makes it the document worked on, not the act of reporting (GUIDE §4.5).
_NOT_NOUN = "".join(
    f"(?<!{w} )" for w in ("de", "ky", "chu tri", "tong hop", "chuan bi", "hoan thien", "xay dung", "du thao")
)
_REPORT_VERB = re.compile(
    r"(?=[bgndtk])(?:"  # every form starts on one of these letters: a cheap test before the alternatives
    r"(?<!de )(?<!ky )(?<!chu tri )(?<!tong hop )\bbao\s*cao\s+(?:ket qua\s+[^.;]{0,80}?\s+(?<!cua )|de xuat\s*,?\s+)?"
    + _RECIPIENT
    + r"|\bbao\s*cao\b.{0,80}?\bgui\s+(?:ve\s+)?"
    + _RECIPIENT
    + r"|(?<!chuan bi )(?<!hoan thien )(?<!xay dung )(?<!du thao )\bbao\s*cao\s+(?:ket qua\s+)?(?:truoc|cham nhat)\b"
    r"|\bbao\s*cao\b[^.;]{0,40}?\bgui\s+(?:truoc|cham nhat)\b"
    r"|\b(?:gui|nop)\s+bao\s*cao|\bthuc\s*hien\s+(?:che\s*do\s+)?bao\s*cao\b|\bbao\s*cao\s+(?:de nghi\s+)?gui\b|\bdinh\s*ky\s+bao\s*cao|(?<!chu tri )(?<!tong hop )(?<!chuan bi )(?<!hoan thien )(?<!xay dung )\bbao\s*cao\s+ket\s*qua\b"
    r"|(?<!chu tri )(?<!tong hop )(?<!chuan bi )(?<!xay dung )\bbao\s*cao\s+(?:nhanh\s+)?tinh\s*hinh\b"
    # "báo" alone for "báo cáo" before what is reported: "phải báo tình hình tiền lương … trước ngày 30/12"
    r"|(?<!thong )(?<!canh )(?<!du )\bbao\s+(?:tinh\s*hinh|ket\s*qua|so\s*lieu)\b"
    # the report of the work's progress or result, dated: "báo cáo tiến độ thực hiện trước ngày 30/6"
    r"|(?<!chu tri )(?<!tong hop )(?<!chuan bi )(?<!xay dung )(?<!hoan thien )\bbao\s*cao\s+(?:tien do|viec thuc hien"
    r"|ket qua|danh gia|so ket|tong ket)\b[^.;]{0,80}?\b(?:truoc|cham nhat)\b"
    # the report's schedule or rule with no recipient: "báo cáo theo quy định", "báo cáo định kỳ hằng tháng"
    r"|" + _NOT_NOUN + r"\bbao\s*cao\s+(?:[a-z]+\s+){0,3}?(?:theo\s+(?:dung\s+)?(?:quy dinh|che do)\b"
    r"|dinh\s*ky\b|(?:hang|moi)\s+(?:tuan|thang|quy|nam)\b|(?:truoc|cham nhat)\b)"
    # "kiểm tra ... và báo cáo.", "kịp thời báo cáo.": the act, its recipient understood
    r"|(?<=\bva )bao\s*cao\s*(?=[.;]|$)|(?<=\bkip thoi )bao\s*cao\s*(?=[.;]|$)"
    # the report's object before its recipient: "báo cáo bằng văn bản kết quả thực hiện về UBND tỉnh"
    r"|"
    + _NOT_NOUN
    + r"\bbao\s*cao\s+[^.;,]{0,60}?\s(?:ve|len|cho|voi)\s+"
    + _RECIPIENT
    # a report and a proposal or a request for opinion to one recipient: "báo cáo, đề xuất UBND tỉnh"
    + r"|"
    + _NOT_NOUN
    + r"\bbao\s*cao\s*(?:,|va)?\s*(?:de xuat|kien nghi|xin y kien|de nghi)\s+(?:voi\s+)?"
    + _RECIPIENT
    + r"|\btong hop\s*,?\s*bao\s*cao\s+(?:ve\s+|len\s+)?(?:ubnd|uy\s*ban|chu\s*tich|thu\s*tuong|bo\b|so\b)"
    r"|\bket\s*qua\s+bao\s*cao\b|\btong hop\s+(?:chung\s+)?bao\s*cao\s+gui|\bbao\s*cao\s*[^.;]{0,40}gui\s+(?:ve\s+)?"
    + _RECIPIENT
    + r")"
)
_NOUN_REPORT = re.compile(r"\b(?:ky|chuan bi|hoan thien|xay dung|du thao)\s+(?:cac\s+)?bao\s*cao\b")
_CONDITIONAL = re.compile(
    r"vuot\s*tham\s*quyen|kho khan,?\s*vuong mac|truong hop can thiet|neu co van de|neu co phat sinh"
    r"|\b(?:van de|kho khan|vuong mac|tinh huong)\s+(?:moi\s+)?phat sinh"
    r"|\b(?:neu|khi)\s+co\s+(?:kho khan|vuong mac|phat sinh|vi pham)"
)
# "trình" as the second syllable of a noun ("quy trình", "chương trình", "công trình", "giải trình"): not "submit".
_TRINH_NOUN = "".join(
    f"(?<!{w} )" for w in ("to", "quy", "chuong", "lo", "hanh", "tien", "cong", "qua", "giai")
)
# Not a submission told of ("đã trình", "được trình") nor one the performer carries out or takes as basis
# ("theo đề xuất tại Tờ trình", "thực hiện kiến nghị tại Kết luận thanh tra"), nor someone else's proposal as the
# object of a verb ("giải quyết / trả lời / xử lý kiến nghị cử tri", "phản ánh, kiến nghị", "thẩm định đề xuất dự
# án"). Every form starts on t, d or k: a cheap test before the alternatives.
_SUBMIT = re.compile(
    r"(?=[tdk])(?:"
    + _TRINH_NOUN
    + r"(?<!du kien )(?<!da )(?<!duoc )\btrinh\b(?!\s*(?:do|tu|bay|dien|chieu|duyet cua))"
    r"|tham\s*muu\b|(?<!cac )(?<!nhung )(?<!xet )(?<!theo )(?<!thuc hien )(?<!tiep thu )(?<!tiep nhan )"
    r"(?<!giai quyet )(?<!tra loi )(?<!xu ly )(?<!tham dinh )(?<!phan anh, )(?<!phan anh )(?<!don thu )"
    r"\b(?:de\s*xuat|kien\s*nghi)\b(?!\s*(?:cua|nay|tren|neu|tai|,\s*kien nghi cua|cu tri|hop phap)))"
)
_COORD = re.compile(
    r"\b(?:phoi\s*hop\s*(?:chat che\s*)?(?:voi)?|cung\s*voi|cung(?=\s+cac\b)|voi su tham gia cua|thong nhat voi)\s*"
)
_URGENT = re.compile(r"\b(?:khan truong|khan cap|ngay lap tuc|kip thoi|gap|hoa toc|thuong khan)\b")
_ONGOING = re.compile(
    r"\b(?:tiep tuc|thuong xuyen|tang cuong|thuc hien nghiem|chu dong|day manh|la dau moi|la co quan dau moi)\b"
)
_REQUIREMENT = re.compile(
    r"\b(?:theo\s+(?:dung\s+)?(?:noi dung|mau|de cuong|huong dan|tham quyen|yeu cau|cac quy dinh)|bao dam|dam bao|"
    r"tang\s+\d+\s*%|qua dia chi email|tu ngay\s+\d)[^.;]{0,110}"
)


def _resolve_local(meta: Metadata, folded: str) -> bool:
    """Whether unit names mean Hanoi's units: false for another province's or city's document."""
    if meta.place and "ha noi" not in fold_keep(meta.place) and meta.date_source == "header":
        if "chinh phu" not in folded[:300]:
            return False
    head = folded[:1200]
    if (
        re.search(r"\b(?:ubnd|uy ban nhan dan|chu tich ubnd|van phong ubnd|vp ubnd) tinh\b", head)
        and "ha noi" not in head[:200]
    ):
        return False
    if re.search(r"\btinh [a-z]+ [a-z]+,? ngay", head) or re.search(r"uy ban nhan dan\s+tinh", head):
        return False
    if "ha noi" not in head and re.search(
        r"\b(?:tp\.?\s*hcm|tphcm|(?:tp\.?|thanh pho)\s*(?:ho chi minh|da nang|hai phong|can tho|hue))\b", head
    ):
        return False  # another centrally-run city's directive: its Sở are that city's
    return True


# An order reported in the past ("UBND tỉnh đã giao Thanh tra tỉnh báo cáo …", "Thủ tướng cho biết đã yêu cầu Bộ
# Tài chính nghiên cứu …"): see `extract`.
_PAST_ORDER = re.compile(r"\bda\s+(?:giao|yeu\s*cau|chi\s*dao|de\s*nghi)\b")
# A sentence opening on an earlier time ("Năm 2019, …", "Trước đó, …"): a recital, even in a text with no order.
_EARLIER = re.compile(r"\s*(?:(?:nam|tu nam)\s+\d{4}|truoc do|truoc day|thoi gian qua|nam qua|nam ngoai)\b")


def extract(
    text: str,
    *,
    ref_date: date | None = None,
    calendar: WorkCalendar | None = None,
    local: bool | None = None,
    loose: bool = False,
    model: bool = True,
) -> Document:
    """Read a directive's metadata and task clauses.

    `loose`: keep the clauses that the hand filters below set aside (background, headlines, summaries, a body's
    own account, exhortations) and do not ask the task model: the candidates the model is trained on
    (`taskmodel.py`). The product reads with `loose=False`; `model=False` leaves the rules' tasks unjudged.

    An assignment told in the past ("X đã giao Y …") recites an earlier order beside the text's own orders; in a
    text that gives no order of its own (a news item about that order) it is the order the text is about, so such a
    text is read again with the past allowed (never "đã phân công": a meeting's narration of who went where)."""
    doc = _extract(text, ref_date=ref_date, calendar=calendar, local=local, loose=loose, model=model)
    if doc.tasks or loose or not _PAST_ORDER.search(fold_keep(doc.text)):
        return doc
    _SOURCE.past = True
    try:
        return _extract(text, ref_date=ref_date, calendar=calendar, local=local, loose=loose, model=model)
    finally:
        _SOURCE.past = False


def _extract(
    text: str,
    *,
    ref_date: date | None,
    calendar: WorkCalendar | None,
    local: bool | None,
    loose: bool,
    model: bool,
) -> Document:
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    _SOURCE.text = text
    _SOURCE.loose = loose
    meta = read_metadata(text)
    if ref_date is not None:
        meta.date, meta.date_source = ref_date, "header"
    folded = fold_keep(text)
    if local is None:
        local = _resolve_local(meta, folded)
    reg = get_registry()
    body_end = len(text)
    m = re.search(r"(?m)^\s*noi nhan\s*:", folded)
    if m:
        body_end = m.start()
    op = _OPERATIVE.search(folded, 0, body_end)
    operative_from = op.end() if op else 0
    toks_all = tokenize(text, folded, 0, body_end)
    tok_starts = [t.start for t in toks_all]

    tasks: list[Task] = []
    inherited: Phrase | None = None
    header_para = -2  # the paragraph of the last header (or of its last unmarked duty line)
    paragraphs = [(a, min(b, body_end)) for a, b in _paragraphs(text) if a < body_end]
    last_task_para = -10
    recipients = False  # inside the "Kính gửi:" list of addressees
    orders = False  # inside the items of an assigner's "... chỉ đạo (các nội dung) sau:"
    bullet_starts: set[int] = set()
    marker_at = (
        -1
    )  # start of the paragraph that introduces the operative part ("... có ý kiến chỉ đạo như sau:")
    seen_paragraphs: set[str] = set()
    last_phrase: Phrase | None = None  # the performer of the last task found
    listed_at: set[int] = set()  # starts of duties listed in paragraphs of their own after a performer's task
    detached: list[tuple[int, int]] = []  # report sentences that date a report above a listed duty
    units: list[tuple[int, int, bool, bool]] = []  # every sentence read: (start, end, bullet, operative)
    printed = Counter(_said(folded[ps:pe]) for ps, pe in paragraphs)
    for pi, (ps, pe) in enumerate(paragraphs):
        pfold = folded[ps:pe]
        said = _said(pfold)
        if len(said) > 20 and said in seen_paragraphs:
            continue  # a page that prints its headline or lead twice: the copy is no second task
        seen_paragraphs.add(said)
        if (
            len(said) > 20
            and printed[said] > 1
            and not _closed(text[ps:pe].rstrip())
            and not loose
            and not _NAMES_THE_HEADLINE.search(
                " ".join(_said(folded[a:b]) for a, b in paragraphs[pi + 1 : pi + 4])[:300]
            )
        ):
            continue  # a line with no stop that the page prints again (a title and its bullet): a headline
        if len(said) < 250 and _CAPTION.search(said):
            continue  # a photo's caption ("Đồng chí X kết luận hội nghị. Ảnh: Y."): what the picture shows
        is_bullet = bool(_MARKER.match(pfold) and _MARKER.match(pfold).group(0).strip())  # type: ignore[union-attr]
        if re.match(r"\s*kinh gui\b", pfold):
            recipients = True
            continue
        if recipients and is_bullet:
            continue  # an addressee line, not an assignment
        recipients = False
        if _is_headline(text, pfold, ps, pe) and not loose:
            continue
        if not is_bullet:
            orders = False
        n_before = len(tasks)
        had_header = False
        if not is_bullet and inherited is not None and _duty_line(pfold) and header_para == pi - 1:
            # "… theo chức năng nhiệm vụ:" then "Tiếp tục thực hiện …", "Tăng cường …": unmarked lines opening on the
            # duty's verb are the header's items, as bullets would be
            is_bullet = True
            header_para = pi
        if not is_bullet and not (_MARKER.match(pfold) and _MARKER.match(pfold).group(0).strip()):  # type: ignore[union-attr]
            if inherited is not None and pi > 0:
                inherited = None if not is_bullet else inherited
        sentences = _sentences(text, ps, pe)
        am = _ADDRESSEES.search(pfold)
        addressees_from = ps + am.end() if am else -1
        for si, (s, e) in enumerate(sentences):
            sfold = folded[s:e]
            if _is_boiler(sfold) or (text[s:e].strip().isupper() and len(text[s:e].strip()) > 3):
                continue
            stoks = toks_all[bisect_left(tok_starts, s) : bisect_left(tok_starts, e)]
            if _BACKGROUND.match(_MARKER.sub("", sfold, count=1)) and not loose:
                continue  # "Trước đó, UBND tỉnh đã có văn bản yêu cầu ...", "Theo Sở Y tế, ...": background
            units.append((s, e, is_bullet, s >= operative_from))
            anchors = _find_anchors(text, folded, stoks, s, e)
            tm = _THAT_IS_THE_ORDER.match(sfold)
            if tm and not any(a.kind == "trigger" for a in anchors):
                # "Kiểm tra, xử lý nghiêm …" then "Đó là chỉ đạo của UBND tỉnh đối với các sở, …": the order stands
                # before, its performers are named after it.
                k = _toks_from(stoks, s + tm.end())
                ph = parse_performers(stoks, k) if k < len(stoks) and _starts_agency(stoks, k) else None
                if ph is not None and (si > 0 or pi > 0):  # the order itself must be in the text
                    if (
                        tasks
                        and tasks[-1].lead is None
                        and (pi == last_task_para or pi - last_task_para == 1)
                    ):
                        tasks[-1].lead, tasks[-1].lead_span = text[ph.start : ph.end], (ph.start, ph.end)
                        tasks[-1].lead_names, tasks[-1].collective = ph.names, ph.collective
                        tasks[-1].end, tasks[-1].text = e, text[tasks[-1].start : e]
                        continue
                    order_at = sentences[si - 1][0] if si > 0 else (paragraphs[pi - 1][0] if pi > 0 else s)
                    if _ORDER_OPENS.match(folded, order_at, s):  # the order before: a quote or a duty's verb
                        anchors = [_Anchor(order_at, ph, "subject")]
            if addressees_from >= 0:
                # "... có Công điện gửi: Các Bộ trưởng, ...; Chủ tịch UBND các tỉnh; ...": recipients, not performers
                anchors = [a for a in anchors if a.pos < addressees_from or a.kind == "trigger"]
            if not anchors and is_bullet and inherited is not None and si == 0:
                anchors = [_Anchor(s + _skip_intro(sfold, 0, len(sfold)) * 0, inherited, "bullet")]
            if (
                not anchors
                and is_bullet
                and orders
                and inherited is None
                and si == 0
                and not _APPROVAL.match(_MARKER.sub("", sfold, count=1))
            ):
                # "UBND huyện chỉ đạo ... sau:" then "1. Tạm dừng ...": an order whose performer is left unsaid
                anchors = [_Anchor(s, None, "nolead")]
            if not anchors and s >= operative_from > 0 and _NO_LEAD.search(_MARKER.sub("", sfold, count=1)):
                anchors = [_Anchor(s, None, "nolead")]
            if not anchors and s >= operative_from:
                cm = _BARE_TRIGGER.search(sfold)
                if (
                    cm
                    and sfold[: cm.start()].strip()
                    and not re.search(
                        r"\bda\b|van ban|cong van", sfold[: cm.start()]
                    )  # a recital of a letter
                    and _assigner_ok(sfold[: cm.start()])
                    and len(sfold[cm.end() :].split()) >= 6
                    and not _starts_agency(stoks, _toks_from(stoks, s + cm.end()))
                    and not re.match(r"(?:cua|tai|ve viec|nay)\b", sfold[cm.end() :])
                ):
                    anchors = [_Anchor(s, None, "nolead", body=s + cm.end())]
            if not anchors:
                # "Chủ tịch yêu cầu: Tăng cường ...": the assignment itself, with its performer left unsaid.
                cm = _COLON_TRIGGER.search(sfold)
                if cm and _assigner_ok(sfold[: cm.start()]) and len(sfold[cm.end() :].split()) >= 5:
                    k = _toks_from(stoks, s + cm.end())
                    if k < len(stoks) and not _starts_agency(stoks, k):
                        anchors = [_Anchor(s, None, "nolead", body=s + cm.end())]
            if (
                not anchors
                and si == 0
                and not is_bullet
                and last_phrase is not None
                and pi - last_task_para == 1
                and tasks
                and (tasks[-1].anchor == "trigger" or tasks[-1].start in listed_at)
                and not _continues(sfold)
                and _DUTY_OPENS.match(sfold)
                and not re.search(r"\b(?:da|vua)\s+[a-z]", sfold[:80])
            ):
                # "giao Sở X tổng hợp …;" then "Tham mưu UBND tỉnh …;" then "Thực hiện …": paragraphs that open
                # on the duty's verb, with no performer, go on with the list of the performer just named.
                anchors = [_Anchor(s, last_phrase, "bullet")]
                listed_at.add(s)
            if not anchors:
                # A sentence that carries the previous task's date, report or submission.
                same_para = pi == last_task_para and si > 0
                gap = pi - last_task_para
                if gap == 2 and not _aside(text, *paragraphs[pi - 1]):
                    gap = 3  # only a parenthesis ("(Có đề cương chi tiết gửi kèm)") may stand between
                # "- Báo cáo 6 tháng gửi trước ngày 10/7" then "- Báo cáo cả năm gửi trước ngày 10/01": each dated
                # delivery item is its own task, not a continuation of the dated item above
                own_item = (
                    is_bullet
                    and si == 0
                    and tasks
                    and _PASSIVE_DELIVERY.match(_MARKER.sub("", sfold, count=1).strip()) is not None
                    and _dated(folded[tasks[-1].start : tasks[-1].end])
                )
                if tasks and gap <= 2 and (same_para or _continues(sfold)) and not own_item:
                    prev = tasks[-1]
                    if (
                        prev.start in listed_at
                        and _DELIVERY.match(sfold)
                        and not _REPORT_VERB.search(folded, prev.start, prev.end)
                    ):
                        # "Đôn đốc …. Đồng thời, báo cáo … gửi về … trước ngày …" after a listed duty with no
                        # report of its own: the report above is the one dated (fixed after the tasks are read)
                        detached.append((s, e))
                        continue
                    if (
                        s - prev.end < 400
                        and not _RECITAL_VERB.match(sfold[:0] + " x")
                        and not re.match(r"\s*(?:du kien|theo bao cao|doi voi cac cong trinh)", sfold)
                    ):
                        prev.end = e
                        prev.text = text[prev.start : e]
                    continue
                if not _PASSIVE_DELIVERY.match(_MARKER.sub("", sfold, count=1).strip()):
                    continue
                # "Báo cáo 6 tháng gửi về Sở Tài chính trước ngày 10/7", "Danh sách … gửi về Sở Z trước ngày …" with
                # no task above to carry it: a dated delivery whose performer is left unsaid (GUIDE §4.1: no_lead)
                anchors = [_Anchor(s, None, "nolead", body=s)]
            for ai, anchor in enumerate(anchors):
                if anchor.header:
                    inherited = anchor.phrase
                    header_para = pi
                    had_header = True
                    continue
                if (
                    ai == 0
                    and anchor.kind == "subject"
                    and anchor.phrase is not None
                    and tasks
                    and pi - last_task_para <= 1
                    and s - tasks[-1].end < 400
                    and (
                        _same_performers(tasks[-1].lead_names, anchor.phrase.names)
                        # "... đề nghị các sở báo cáo ... Trước ngày 18/10, các địa phương phải báo cáo ...": a
                        # generic class after a collective performer names the same addressees again
                        or tasks[-1].collective
                        and _GENERIC_CLASS.fullmatch(folded, anchor.phrase.start, anchor.phrase.end)
                        is not None
                    )
                    and _REPORT_STEP.match(folded, anchor.phrase.end, e)
                    and not (_dated(folded[tasks[-1].start : tasks[-1].end]) and _dated(sfold))
                ):
                    # "... Sở Xây dựng báo cáo UBND TP xem xét": the performer's own report step, one task
                    # with the work above (GUIDE §2.2), unless each sentence dates its own deliverable.
                    tasks[-1].end = e if len(anchors) == 1 else anchors[1].pos
                    tasks[-1].text = text[tasks[-1].start : tasks[-1].end].rstrip()
                    tasks[-1].end = tasks[-1].start + len(tasks[-1].text)
                    continue
                t_end = e
                if ai + 1 < len(anchors):
                    nxt = anchors[ai + 1].pos
                    cut = max(folded.rfind(";", anchor.pos, nxt), folded.rfind(",", anchor.pos, nxt))
                    t_end = cut if cut > anchor.pos else nxt
                t_end = len(text[anchor.pos : t_end].rstrip()) + anchor.pos
                if t_end <= anchor.pos:
                    continue  # an anchor inside the span of the one before it: no text of its own
                if anchor.kind != "bullet" and anchor.phrase is not None and t_end <= anchor.phrase.end:
                    continue  # "Phó Chủ tịch UBND tỉnh, Trưởng ban …, yêu cầu …": a subject with no predicate of its own
                task = Task(anchor.pos, t_end, text[anchor.pos : t_end], anchor=anchor.kind)
                if anchor.phrase is not None:
                    ph = anchor.phrase
                    task.lead = text[ph.start : ph.end]
                    task.lead_span = (ph.start, ph.end)
                    task.lead_names = ph.names
                    task.collective = ph.collective
                    named = _counted_referents(text, s, ph)
                    if named:
                        task.lead_names, task.collective = named, False
                    task.body_start = ph.end if anchor.kind != "bullet" else anchor.pos
                else:
                    task.body_start = anchor.body if anchor.body >= 0 else anchor.pos
                tasks.append(task)
                last_task_para = pi
                last_phrase = anchor.phrase
                if is_bullet:
                    bullet_starts.add(task.start)
        if (
            not is_bullet
            and len(tasks) == n_before
            and not had_header
            and _ORDERS_FOLLOW.search(pfold.rstrip())
        ):
            orders = True
            operative_from = min(operative_from, ps) if operative_from else ps
        if marker_at < 0 and len(tasks) == n_before and not had_header and _INTRODUCES.search(pfold):
            marker_at = ps
    # What the rules read as tasks before their filters: the sentence model proposes none of these spans again.
    read_spans = [(t.start, t.end) for t in tasks]
    # A news lead that sums up the directive before quoting it ("Chủ tịch UBND tỉnh yêu cầu ...", then "Sau khi
    # xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo:" and the items): the summary repeats the items below.
    # Only a short, unnumbered lead: numbered items before a later "... như sau:" are tasks of their own.
    lead_in = [t for t in tasks if t.start < marker_at]
    if (
        not loose
        and marker_at > 0
        and len(lead_in) <= 2
        and not any(t.start in bullet_starts for t in lead_in)
        and any(t.start > marker_at for t in tasks)
    ):
        tasks = [t for t in tasks if t.start > marker_at]
    if not loose:
        tasks = _drop_own_account(tasks, text, folded, toks_all, tok_starts)
    # Headline summaries of news items ("UBND TP vừa ban hành Công văn ..., yêu cầu ...") repeat the tasks below.
    if len(tasks) > 1 and not loose:
        tasks = [
            t
            for k, t in enumerate(tasks)
            if not (
                any(_same_performers(t.lead_names, u.lead_names) for u in tasks[k + 1 :])
                or k + 1 < len(tasks)
                and _DETAIL_FOLLOWS.search(folded, max(t.start, t.end - 12), tasks[k + 1].start)
            )
            or not re.search(
                r"(?:vua|da)\s+(?:ban hanh|co)\s+(?:cong van|van ban|chi thi|quyet dinh)",
                re.split(
                    r"[.\n]", folded[max(0, t.start - 200) : t.lead_span[0] if t.lead_span else t.start]
                )[-1],
            )
            or t is tasks[-1]
            and len(tasks) == 1
        ] or tasks
    # A news lead that the next paragraph spells out ("Tổng cục X đề nghị các Sở GTVT báo cáo ..." then "Theo đó,
    # yêu cầu các Sở GTVT ... báo cáo ..."): the same performers, so the lead is a summary, not a task of its own.
    tasks = [
        t
        for k, t in enumerate(tasks)
        if loose
        or not (
            k + 1 < len(tasks)
            and re.search(r"\n\s*theo do\b[\s,]*$", folded[t.end : tasks[k + 1].start])
            and _same_performers(t.lead_names, tasks[k + 1].lead_names)
        )
    ]
    # General exhortations with no specific content are not tasks (GUIDE §2.4): "Chủ tịch UBND tỉnh yêu cầu
    # Giám đốc Sở X triển khai thực hiện.", "Yêu cầu UBND các xã phối hợp và tổ chức thực hiện."
    tasks = [t for t in tasks if loose or not _exhortation(folded, t)]
    # A news lead paragraph repeated word for word in the body ("Chính phủ chỉ đạo Bộ Tài chính …" above "Theo
    # Nghị quyết …, Chính phủ chỉ đạo Bộ Tài chính … , nhất là …"): one order told twice, read where it is fullest.
    # Only the next _RESTATED_WINDOW tasks are compared (a lead is spelled out near it): a text of thousands of
    # tasks would otherwise cost a comparison for every pair (quadratic CPU, issue 17's draft checker).
    if not loose:
        tasks = [
            t
            for k, t in enumerate(tasks)
            if not any(_restated(t, u) for u in tasks[k + 1 : k + 1 + _RESTATED_WINDOW])
        ]
    # A news headline that restates the item below ("Đề nghị 5 tỉnh, thành tăng cường ...", "Bộ trưởng: Các địa
    # phương phải ..."): a short first paragraph with no closing punctuation, before the body's own task.
    # The same holds when the body below restates no task (only recites the letter): a headline is a title.
    if tasks and not loose:
        first = tasks[0]
        para = next(((a, b) for a, b in paragraphs if a <= first.start < b), None)
        if para is not None:
            body = text[para[0] : para[1]].strip()
            if (
                len(body) < 160
                and first.end <= para[1]  # a task that runs on past the headline is not the headline alone
                and not _closed(body)
                and not _MARKER.match(fold_keep(body))
                and (len(tasks) > 1 and tasks[1].start >= para[1] or _body_follows(text, para[1], body_end))
            ):
                tasks = tasks[1:]
    if not loose:
        tasks = _sentence_tasks(tasks, read_spans, text, folded, meta, toks_all, tok_starts, units, model)
    # A meeting named in the opening as the goal of the whole text ("... về chuẩn bị nội dung trình tại kỳ họp
    # thứ tư HĐND thành phố") is the (event-anchored) deadline of every task that states none of its own.
    opening = dl.event_deadline(folded, text, 0, tasks[0].start) if tasks else None
    plan = _plan_period(text, folded, tasks[0].start) if tasks else None
    prev_end = 0
    # Where each sentence may begin (".;:" or a line break), listed once: searching back from every task of an
    # unpunctuated text cost time growing with the square of its length.
    stops = [m.start() for m in _STOPS.finditer(folded)]
    seen = _Seen(text, folded)
    for task in tasks:
        # The head of the task's sentence before it, when no other task stands there (a fronted time phrase).
        k = bisect_left(stops, task.start)
        sentence_from = max(stops[k - 1] if k else -1, prev_end) + 1
        _fill(task, text, folded, meta, local, reg, calendar, opening, sentence_from, seen)
        prev_end = task.end
        if (
            plan is not None
            and task.deadline.kind == "none"
            and _THIS_PLAN.search(folded, task.start, task.end)
        ):
            task.deadline = plan
            _issues(task, meta)
    _date_the_tasks_above(tasks, text, folded, meta, calendar, body_end)
    for ds, de in detached:
        d = dl.parse_folded(folded[ds:de], text[ds:de], meta.date, calendar)
        reporting = [t for t in tasks if t.end <= ds and t.report.get("required")]
        if d.kind == "none" or d.vague or not reporting or reporting[-1].deadline.kind != "none":
            continue
        d.start += ds
        d.end += ds
        _date_from_elsewhere(reporting[-1], d, meta)
    _date_the_listed_tasks(tasks, text, folded, meta, calendar)
    _date_from_the_headline(tasks, text, folded, meta, calendar)
    _date_from_the_finishing_sentence(tasks, text, folded, meta, calendar, body_end)
    _date_from_the_time_sentence(tasks, text, folded, meta, calendar, body_end)
    _date_from_the_campaign_before(tasks, text, folded, meta, calendar)
    _date_from_the_time_items(tasks, text, folded, meta, calendar, body_end)
    _date_from_the_named_time(tasks, text, folded, meta, calendar, body_end)
    if meta.date is None:
        _year_from_the_text(tasks, text, body_end)
    _doubt_what_follows(tasks, folded, body_end)
    if model and not loose:
        tasks = taskmodel.judge(tasks, text, folded, meta)
    return Document(text, meta, tasks, local)


# The word before a body that makes it no performer of the sentence ("báo cáo về Sở X", "theo Bộ Y").
_NOT_PERFORMER_BEFORE = frozenset("cua theo ve voi den cho tai gui tu trinh va hoac cao".split())


def _sentence_performer(folded: str, stoks: list[Tok], s: int, e: int) -> Phrase | None:
    """The performer of a sentence the rules found no anchor in: the first body named after its last asking word
    ("... yêu cầu Sở X ..."), else a body that opens it (within its first eight words), else none."""
    asks = [m.end() for m in clausemodel.ASKS.finditer(folded, s, e)]
    if asks:
        ks = [k for k, t in enumerate(stoks) if t.start >= asks[-1]][:6]
    else:
        ks = list(range(min(len(stoks), 8)))
    for k in ks:
        if (k == 0 or stoks[k - 1].f.lower() not in _NOT_PERFORMER_BEFORE) and _starts_agency(stoks, k):
            phrase = parse_performers(stoks, k)
            if phrase is not None:
                return phrase
    return None


def _sentence_tasks(
    tasks: list[Task],
    read_spans: list[tuple[int, int]],
    text: str,
    folded: str,
    meta: Metadata,
    toks_all: list[Tok],
    tok_starts: list[int],
    units: list[tuple[int, int, bool, bool]],
    model: bool,
) -> list[Task]:
    """The sentences no rule task covers that the sentence model (`clausemodel.py`) reads as tasks, added to the
    rules' tasks in reading order; the lead is the first performer named in the sentence. With
    `_SOURCE.collect_sentences` set (bench/clausemodel.py), every sentence is kept in `_SOURCE.sentences` as
    (task, features, covered) for training."""
    collect = getattr(_SOURCE, "collect_sentences", False)
    weights = clausemodel.weights() if model else {"weights": {}}
    if not collect and not weights["weights"]:
        return tasks
    spans = read_spans
    doc = taskmodel.document_features(text, folded, meta)
    found: list[tuple[Task, list[str], bool]] = []
    # The rule spans by start, with the furthest end reached so far: whether a sentence overlaps one is a lookup,
    # not a comparison with every span (a text of many sentences and tasks cost the square of their number).
    by_start = sorted(spans)
    starts = [a for a, _ in by_start]
    reach: list[int] = []
    for _, b in by_start:
        reach.append(max(b, reach[-1]) if reach else b)
    for index, (s, e, bullet, operative) in enumerate(units):
        k = bisect_left(starts, e)  # the spans that start before the sentence ends
        covered = k > 0 and reach[k - 1] > s
        if covered and not collect:
            continue
        stoks = toks_all[bisect_left(tok_starts, s) : bisect_left(tok_starts, e)]
        phrase = _sentence_performer(folded, stoks, s, e)
        task = Task(s, e, text[s:e], anchor="sentence")
        if phrase is not None:
            task.lead, task.lead_span = text[phrase.start : phrase.end], (phrase.start, phrase.end)
            task.lead_names, task.collective = phrase.names, phrase.collective
            task.body_start = phrase.end
        else:
            task.body_start = s
        feats = clausemodel.features(
            folded,
            s,
            e,
            doc=doc,
            bullet=bullet,
            operative=operative,
            lead=task.lead_span,
            collective=task.collective,
            index=index,
        )
        found.append((task, feats, covered))
    if collect:
        _SOURCE.sentences = found
    if not weights["weights"]:
        return tasks
    added = []
    for task, feats, covered in found:
        p = clausemodel.probability(feats, weights)
        if not covered and p >= weights["threshold"]:
            task.confidence["task"] = p
            added.append(task)
    return sorted(tasks + added, key=lambda t: t.start) if added else tasks


# What any time the deadline grammar reads contains: a figure, a quarter, a month, a cycle or a week.
_TIME_HINT = re.compile(r"\d|\bquy\b|\bthang\b|\bhang\b|\bdinh ky\b|\btuan\b|\bcuoi nam\b|\bnam nay\b")


def _date_from_elsewhere(task: Task, d: Deadline, meta: Metadata) -> None:
    """Give an undated task the time a sentence elsewhere states for it: its deadline, and its report's and
    submission's when it has them; its issues again."""
    task.deadline = d
    if task.report.get("required"):
        task.report_deadline = d
    if task.submit:
        task.submit_deadline = d
    _issues(task, meta)


def _date_the_listed_tasks(
    tasks: list[Task], text: str, folded: str, meta: Metadata, calendar: WorkCalendar | None
) -> None:
    """A time in the line that introduces a list ("Trong quý II/2021, UBND tỉnh yêu cầu các đơn vị thực hiện các nội
    dung sau:") dates every task of the list's items that states none of its own."""
    for task in tasks:
        if task.deadline.kind != "none" or task.deadline.vague:
            continue
        at = folded.rfind("\n", 0, task.start) + 1
        if not _MARKER.match(folded[at : at + 12]) or folded[at : task.start].strip(
            " -–+•*.)(0123456789abcdđ"
        ):
            continue  # not the item of a list
        while at > 0:  # back over the list's other items to the line before them
            prev = folded.rfind("\n", 0, at - 1) + 1
            if not _MARKER.match(folded[prev : prev + 12]) or not folded[prev : at - 1].strip():
                break
            at = prev
        prev = folded.rfind("\n", 0, max(0, at - 1)) + 1
        intro = folded[prev : max(prev, at - 1)].rstrip()
        if at == 0 or not intro.endswith(":"):
            continue
        d = dl.parse_folded(intro, text[prev : prev + len(intro)], meta.date, calendar)
        if d.kind in ("date", "period", "recurring") and not d.vague:
            d.start += prev
            d.end += prev
            _date_from_elsewhere(task, d, meta)


# A sentence that only finishes the work above: its subject is the work pointed back at ("Công việc này", "Nhiệm vụ
# này") or is left out after the assigner's asking verb ("Sở Y tế yêu cầu hoàn thành …"), then a finishing verb.
_FINISHES_ABOVE = re.compile(
    r"\s*(?:[-–+•]\s*)?(?:(?:cong viec|nhiem vu|phan viec|viec)(?:\s+[a-z]+){0,3}?\s+nay\s+"
    r"|[^.;:\n]{0,40}?\b(?:yeu cau|de nghi)\s+)(?:phai\s+|can\s+|duoc\s+)?(?:hoan thanh|hoan tat|thuc hien xong|xong)\b"
)
_FINISHING_VERB = re.compile(r"\s*(?:phai\s+|can\s+)?(?:hoan thanh|hoan tat|thuc hien xong|xong)\b")


def _date_from_the_finishing_sentence(
    tasks: list[Task], text: str, folded: str, meta: Metadata, calendar: WorkCalendar | None, body_end: int
) -> None:
    """Give an undated task the time of the sentence right after it when that sentence only finishes the task's
    work (GUIDE §5, a deadline in a following sentence): the work pointed back at ("Công việc này phải hoàn thành
    trước ngày …"), the assigner asking again with no performer ("Sở Y tế yêu cầu hoàn thành trước ngày …"), or the
    task's own performers named again with a finishing verb ("Các huyện hoàn thành việc rà soát trước ngày …", read
    as a task of its own). Left to check."""
    for k, task in enumerate(tasks):
        if task.deadline.kind != "none" or task.deadline.vague:
            continue
        nxt = tasks[k + 1] if k + 1 < len(tasks) else None
        d: Deadline | None = None
        if (
            nxt is not None
            and _only_its_time_between(folded, task.end, nxt)
            and _named_again(task.lead_names, nxt.lead_names)
            and _FINISHING_VERB.match(folded, nxt.body_start)
            and nxt.deadline.kind in ("date", "period")
            and not nxt.deadline.vague
        ):
            d = nxt.deadline
        else:
            upto = min(nxt.start if nxt is not None else body_end, body_end)
            gap = folded[task.end : upto]
            head = len(gap) - len(gap.lstrip())
            if head == len(gap) or gap[:head].count("\n") > 2:
                continue
            at = task.end + head
            m = _FINISHES_ABOVE.match(folded, at, upto)
            if m is None or _starts_with_a_body(folded[at : m.end()]):
                continue
            stop = re.compile(r"[.;](?=\s|$)|\n").search(folded, at, upto)
            end = stop.start() if stop else upto
            found = dl.parse_folded(folded[at:end], text[at:end], meta.date, calendar)
            if found.kind in ("date", "period") and not found.vague and found.start >= 0:
                found.start += at
                found.end += at
                d = found
        if d is not None:
            _date_from_elsewhere(task, d, meta)
            task.confidence["deadline"] = min(task.confidence.get("deadline", 1.0), 0.6)


def _only_its_time_between(folded: str, end: int, nxt: Task) -> bool:
    """Nothing stands between a task's end and the next task but the next task's own fronted time ("Đến ngày
    20/9/2021, các huyện phải hoàn thành.")."""
    d = nxt.deadline
    gap = folded[end : nxt.start]
    if end <= d.start and d.end <= nxt.start:
        gap = folded[end : d.start] + folded[d.end : nxt.start]
    return not gap.strip(" \t\n,")


def _named_again(a: list[str], b: list[str]) -> bool:
    """The same performers, or named again by their class ("UBND các huyện" … "các huyện")."""
    if _same_performers(a, b):
        return True
    if not a or len(a) != len(b):
        return False
    return all(
        fold_keep(x).endswith(" " + fold_keep(y)) or fold_keep(y).endswith(" " + fold_keep(x))
        for x, y in zip(a, b, strict=True)
    )


def _starts_with_a_body(head: str) -> bool:
    """The words before the asking verb name a performer of their own ("Các xã đề nghị …"): not the assigner alone."""
    return bool(re.match(r"\s*(?:[-–+•]\s*)?(?:cac|nhung)\s", head))


# Words of a headline that say nothing of the work: the asking verbs, function words, the time's own words.
_HEADLINE_STOP = frozenset(
    "yeu cau de nghi chi dao giao cac nhung va voi cua cho ve tai trong truoc ngay".split()
)


def _date_from_the_headline(
    tasks: list[Task], text: str, folded: str, meta: Metadata, calendar: WorkCalendar | None
) -> None:
    """A news headline that states the order with its time ("Yêu cầu các tỉnh báo cáo thiệt hại trước ngày 20/9")
    over a body that restates the order without it: the time is the first task's (GUIDE notes, a headline restated
    by the body). The headline is the text's first paragraph of words before any task, not closed as a sentence; the
    task must restate it: at least 40% of the headline's own words (and three) stand in the task. Only a calendar
    time is taken (a season, "trong dịp Tết", names the occasion). Left to check."""
    if not tasks or tasks[0].deadline.kind != "none" or tasks[0].deadline.vague:
        return
    first = tasks[0]
    head = next(
        (
            (a, b)
            # the first 400 characters hold it (a longer first paragraph is no headline)
            for a, b in _paragraphs(text[: min(first.start, 400)])
            if len(re.findall(r"[^\W\d_]{2,}", text[a:b])) >= 4
        ),
        None,
    )
    if head is None:
        return
    hs, he = head
    line = text[hs:he].strip()
    if len(line) > 200 or _closed(line) or _MARKER.match(fold_keep(line)) or "\n" in line:
        return
    d = dl.parse_folded(folded[hs:he], text[hs:he], meta.date, calendar)
    if d.kind not in ("date", "period", "recurring") or d.vague or d.start < 0:
        return
    if d.kind == "period" and not re.match(r"\d|--", d.value or ""):
        return  # a season or an event in a headline names the campaign's occasion, not a time to finish by
    words = (
        set(re.findall(r"[a-z]+", folded[hs : hs + d.start] + " " + folded[hs + d.end : he])) - _HEADLINE_STOP
    )
    own = set(re.findall(r"[a-z]+", folded[first.start : first.end]))
    shared = words & own
    if len(shared) < 3 or len(shared) < 0.4 * len(words):
        return
    d.start += hs
    d.end += hs
    _date_from_elsewhere(first, d, meta)
    first.confidence["deadline"] = min(first.confidence.get("deadline", 1.0), 0.6)


_YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20[0-4]\d)(?!\d)")
_YEAR_SPAN = re.compile(r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)\d\d")


def _year_from_the_text(tasks: list[Task], text: str, body_end: int) -> None:
    """A date, month or quarter without its year ("trước ngày 30/12", "trong quý II") in a text with no date of
    its own (a news item, a quoted order): GUIDE §4.4 reads it in the document's year, which such a text shows only
    by the years it names ("tiền lương năm 2015", "Công văn số 12 ngày 3/6/2015"). The year named more often than
    any other is taken; on a tie none is (the latest would take a plan's horizon, "đến năm 2030"), and spans such as
    "2021-2025" are periods, not the document's year. The deadline stays to check: its year is inferred."""
    # Tết named with its year anywhere in the text ("Tết Canh Tý 2020") is the Tết a year-less one means.
    named_tet = (
        re.search(r"\btet\b[^.;\n\d]{0,30}?((?:19|20)\d\d)(?!\d)", fold_keep(text[:body_end]))
        if any(t.deadline.extra.get("tet") for t in tasks)
        else None
    )
    if named_tet:
        for task in tasks:
            season = task.deadline
            if season.kind == "period" and season.extra.get("tet") == "no year":
                season.value = f"{season.value} (≈ {named_tet.group(1)}-01..{named_tet.group(1)}-03)"
                del season.extra["tet"]
    years: dict[int, int] = {}
    body = _YEAR_SPAN.sub(" ", text[:body_end])
    for m in _YEAR.finditer(body):
        years[int(m.group(0))] = years.get(int(m.group(0)), 0) + 1
    if not years:
        return
    ranked = sorted(years.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return  # two years named as often: which is the document's is not known
    year = ranked[0][0]
    for task in tasks:
        seen: set[int] = set()
        for d in (task.deadline, task.report_deadline, task.submit_deadline):
            if d is None or id(d) in seen or d.kind not in ("date", "period"):
                continue
            value = d.value or ""
            if d.kind == "date" and re.fullmatch(r"--\d\d-\d\d", value):
                day = dl._mkdate(year, int(value[2:4]), int(value[5:7]))
                if day is None:
                    continue
                d.value, d.day = day.isoformat(), day
            elif d.kind == "period" and re.fullmatch(r"--\d\d|[QH]\d", value):
                d.value = f"{year}-{value.lstrip('-')}"  # a month, quarter or half of that year
            elif d.kind == "period" and d.extra.get("tet") == "no year":
                d.value = f"{value} (≈ {year}-01..{year}-03)"  # Tết without its year (deadlines.py)
                del d.extra["tet"]
            else:
                continue
            seen.add(id(d))
            d.extra["year"] = "from the text"
        if seen:
            task.confidence["deadline"] = min(task.confidence.get("deadline", 1.0), 0.6)


# A sentence that only states the time of the work before it: "Thời gian kiểm tra liên tục từ nay đến hết ngày
# 22/02/2019.", "Thời hạn hoàn thành: quý III/2021." (its subject is the time itself, not a performer).
_TIME_SENTENCE = re.compile(
    r"\s*(?:[-–+•]\s*)?(?:thoi (?:gian|han|diem)|tien do|han (?:hoan thanh|chot|cuoi|nop|gui|thuc hien|bao cao))\b"
)  # "Hạn hoàn thành: 30/4/2021.", "Tiến độ: quý II/2021." on a line of their own too
_TIME_PARTS = re.compile(r"\s*(?:;|,?\s+va\s+)(?=[^;]*?\b(?:trong|truoc|den|cham nhat|hoan thanh)\b)")


_TIME_WORDS = frozenset(
    "thoi gian han hoan thanh thuc hien xong va cua tu nay lien tuc bat dau ket thuc diem tien do chot cuoi".split()
)


def _date_from_the_time_sentence(
    tasks: list[Task], text: str, folded: str, meta: Metadata, calendar: WorkCalendar | None, body_end: int
) -> None:
    """Give an undated task the time of the sentence right after it when that sentence only states a time ("Thời
    gian kiểm tra liên tục từ nay đến hết ngày …") for the task's own work, and no task stands between (GUIDE §5:
    a deadline in the following sentence). The work the sentence names before its time must be the task's: at least
    half its words are the task's words ("Thời gian tiến hành đại hội cấp cơ sở …" after a task that only plans the
    congress is another work, left to check). When the sentence times several works ("… cấp huyện hoàn thành trong
    quý II năm 2018 và Đại hội … tỉnh hoàn thành trong quý III năm 2018"), the one most of whose words are the
    task's is taken."""
    for k, task in enumerate(tasks):
        if task.deadline.kind != "none" or task.deadline.vague:
            continue
        upto = min(tasks[k + 1].start if k + 1 < len(tasks) else body_end, body_end)
        if not _TIME_SENTENCE.match(folded, task.end, upto):
            continue
        stops = [
            x for x in (folded.find(".", task.end, upto), folded.find("\n", task.end + 1, upto)) if x >= 0
        ]
        end = min(stops) if stops else upto
        if end - task.end > 400:
            continue
        own = set(re.findall(r"[a-z]+", folded[task.start : task.end]))
        best: tuple[float, Deadline] | None = None
        at = task.end
        for part in [*_TIME_PARTS.finditer(folded, task.end, end), None]:
            stop = part.start() if part else end
            d = dl.parse_folded(folded[at:stop], text[at:stop], meta.date, calendar)
            if d.kind != "none" and not d.vague:
                work = set(re.findall(r"[a-z]+", folded[at : at + d.start])) - _TIME_WORDS
                share = len(work & own) / len(work) if work else 1.0
                d.start += at
                d.end += at
                if share >= 0.5 and (best is None or share > best[0]):
                    best = (share, d)
            at = part.end() if part else end
        if (
            best is not None
        ):  # the work's time, not its report's (GUIDE §4.4: only a date on the report step is)
            task.deadline = best[1]
            _issues(task, meta)


# A task that opens by pointing back at the sentence before it: "Theo đó, …", "Trong đợt cao điểm này, …".
_POINTS_TO_BEFORE = re.compile(
    r"\s*(?:[-–+•]\s*)?(?:theo do|trong (?:dot|thoi gian|chien dich)(?: cao diem)?(?: nay| tren)?)\b"
)
_SENTENCE_END = re.compile(r"[.!?;:](?=\s)|\n")  # not the dots of "15.12.2020"
# What a sentence may set the time of: a campaign, a drive, a month of action, a plan being carried out.
_CAMPAIGN_WORD = re.compile(r"\b(?:dot|chien dich|cao diem|thang hanh dong|ke hoach|phong trao)\b")


def _date_from_the_campaign_before(
    tasks: list[Task], text: str, folded: str, meta: Metadata, calendar: WorkCalendar | None
) -> None:
    """Give an undated task that opens by pointing back ("Theo đó, công an các địa phương tập trung …") the time the
    sentence right before it sets for the campaign it belongs to ("Đợt cao điểm này bắt đầu từ ngày 15/12 đến ngày
    28/2."): GUIDE §5, a deadline in a neighbouring sentence of the same work. The sentence before must belong to
    no task (a neighbouring task's own date is never taken) and name a campaign or plan."""
    for k, task in enumerate(tasks):
        if (
            task.deadline.kind != "none"
            or task.deadline.vague
            or not _POINTS_TO_BEFORE.match(folded, task.start)
        ):
            continue
        before = folded[: task.start].rstrip()
        if not before.endswith((".", ":", ";")):
            continue
        ends = [m.end() for m in _SENTENCE_END.finditer(before, max(0, len(before) - 600), len(before) - 1)]
        at = ends[-1] if ends else max(0, len(before) - 600)
        if k > 0 and tasks[k - 1].end > at:
            continue  # the sentence before is (part of) another task
        if not _CAMPAIGN_WORD.search(folded, at, len(before)):
            continue
        d = dl.parse_folded(folded[at : len(before)], text[at : len(before)], meta.date, calendar)
        if d.kind in ("date", "period") and not d.vague and d.day is not None:
            d.start += at
            d.end += at
            _date_from_elsewhere(task, d, meta)
            task.confidence["deadline"] = min(task.confidence.get("deadline", 1.0), 0.6)


# A deadline word opening a list item: the item states only a time ("- Chậm nhất ngày 15 của tháng báo cáo …").
_TIME_ITEM = re.compile(r"(?:truoc|cham nhat|muon nhat|han chot|thoi han|hoan thanh truoc|trong)\b")


def _date_from_the_time_items(
    tasks: list[Task], text: str, folded: str, meta: Metadata, calendar: WorkCalendar | None, body_end: int
) -> None:
    """Give an undated task that announces a list ("… gửi báo cáo về Bộ …:") the time of the list's first item when
    every item up to the next task states only a time ("- Chậm nhất ngày 16 của tháng báo cáo …; - Chậm nhất ngày
    8 của tháng cuối quý …"): the items are the task's times, the first its deadline (GUIDE §5)."""
    for k, task in enumerate(tasks):
        if (task.deadline.kind != "none" and not task.deadline.vague) or not text[
            task.start : task.end
        ].rstrip().endswith(":"):
            continue  # dated already; a stand-in ("định kỳ", "theo quy định") gives way to the items' time
        upto = min(tasks[k + 1].start if k + 1 < len(tasks) else body_end, body_end)
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", folded[:upto]) if m.start() >= task.end]
        first: Deadline | None = None
        for ls, le in lines:
            mk = _MARKER.match(folded[ls:le])
            if mk is None:
                break
            at = ls + mk.end()
            if not _TIME_ITEM.match(folded, at, le):
                first = None
                break
            if first is None:
                d = dl.parse_folded(folded[at:le], text[at:le], meta.date, calendar)
                if d.kind == "none" or d.vague or d.start > 12:
                    break
                d.start += at
                d.end += at
                first = d
        if first is not None:
            _date_from_elsewhere(task, first, meta)


# "Thời gian treo cờ: từ ngày 23/7 đến hết ngày 27/7.", "Thời gian tổ chức bầu lại trưởng thôn: ngày 06/9/2020": a
# line or sentence that names an activity and its time, apart from the tasks.
_NAMED_TIME = re.compile(
    r"(?:^|(?<=[\n.;:]))\s*(?:[-–+•]\s*)?thoi (?:gian|han)\s+(?P<act>[a-z][a-z ]{2,60}?)\s*(?::|\b(?:la|tu|bat dau|ket thuc"
    r"|hoan thanh|trong|truoc|vao|den)\b)"
)
# Words that say no more than "do it" before the activity's own name ("Thời gian tổ chức bầu lại trưởng thôn").
_DO_WORDS = re.compile(r"(?:(?:thuc hien|tien hanh|to chuc|trien khai|cac|viec|cong tac)\s+)*")


def _date_from_the_named_time(
    tasks: list[Task], text: str, folded: str, meta: Metadata, calendar: WorkCalendar | None, body_end: int
) -> None:
    """Give an undated task the time of a sentence that names its activity ("Thời gian treo cờ Tổ quốc: từ ngày 23/7
    đến hết ngày 27/7/2025." over items of which one says "… thực hiện treo cờ Tổ quốc tại trụ sở …"): the first
    three content words of the activity must stand together in the task. Only the undated tasks within 1,500
    characters of the sentence (before or after it) are read, and only when one task alone names the activity."""
    for m in _NAMED_TIME.finditer(folded, 0, body_end):
        act = m.group("act").strip()
        words = act[_DO_WORDS.match(act).end() :].split()[:3]  # type: ignore[union-attr]
        if len(words) < 2:
            continue
        end = folded.find("\n", m.end(), body_end)
        dot = re.compile(r"[.;](?=\s|$)").search(folded, m.end(), body_end)
        end = min(x for x in (end if end >= 0 else body_end, dot.start() if dot else body_end, body_end))
        d = dl.parse_folded(folded[m.end() : end], text[m.end() : end], meta.date, calendar)
        if d.kind == "none" or d.vague:
            continue
        key = re.compile(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b")
        named = [
            t
            for t in tasks
            if not (t.start <= m.start() < t.end)
            and abs((t.start if t.start > m.start() else t.end) - m.start()) < 1500
            and key.search(folded, t.start, t.end)
        ]
        if len(named) == 1 and named[0].deadline.kind == "none" and not named[0].deadline.vague:
            d.start += m.end()
            d.end += m.end()
            _date_from_elsewhere(named[0], d, meta)


def _doubt_what_follows(tasks: list[Task], folded: str, body_end: int) -> None:
    """A task followed by text of no task that states a time ("Thời gian tiến hành đại hội ... hoàn thành trong
    quý II năm 2018.") or a report the task lacks: that text may be the task's, so the field is to check first."""
    for k, task in enumerate(tasks):
        upto = min(tasks[k + 1].start if k + 1 < len(tasks) else body_end, task.end + 400, body_end)
        after = folded[task.end : upto]
        if not after.strip():
            continue
        conf = task.confidence
        if (
            task.deadline.kind == "none"
            and not task.deadline.vague
            and _TIME_HINT.search(after)
            and _dated(after)
        ):
            conf["deadline"] = min(conf.get("deadline", 1.0), 0.55)
        if not task.report.get("required") and "bao cao" in after and _REPORT_VERB.search(after):
            conf["report"] = min(conf.get("report", 1.0), 0.6)


def _initials(name: str) -> str:
    """A body's name as its initials, an acronym kept whole: "Bộ Chỉ huy Quân sự tỉnh" and "Bộ CHQS tỉnh" agree."""
    words = re.findall(r"[^\W\d_]+", name)
    return fold_keep("".join(w if len(w) > 1 and w.isupper() else w[0] for w in words))


def _drop_own_account(
    tasks: list[Task], text: str, folded: str, toks: list[Tok], tok_starts: list[int]
) -> list[Task]:
    """The body that gives the orders ("Bộ CHQS tỉnh chỉ đạo các đơn vị …") is not its own performer: where it is
    the subject of a clause elsewhere ("Bộ CHQS tỉnh chuẩn bị đầy đủ vật chất …", a caption, a report of what it
    did), the clause is its own account, not an assignment."""
    assigners = set()
    for t in tasks:
        if t.anchor != "trigger" or t.lead_span is None:
            continue
        k = bisect_left(tok_starts, t.start)
        phrase = parse_performers(toks, k) if k < len(toks) and _starts_agency(toks, k) else None
        if phrase is not None and phrase.end <= t.lead_span[0]:
            assigners.add(_initials(text[phrase.start : phrase.end]))
    if not assigners:
        return tasks
    return [
        t
        for t in tasks
        if not (
            t.anchor == "subject"
            and t.lead_span
            and _initials(text[t.lead_span[0] : t.lead_span[1]]) in assigners
        )
    ]


# "Các nhiệm vụ trên hoàn thành trước ngày 30/6/2021.": a sentence that dates every task above it (GUIDE §5). Its
# subject is a noun of work pointing back: (các|những) + head (nhiệm vụ, nội dung, (công) việc, phần việc) + a few
# modifiers ("được giao", "của các đơn vị") + the pointer: "trên" with or without its verb ("nêu", "kể", "nói", "đề
# ra") or a reference to the items ("nêu tại mục 1, 2", "tại các điểm"). Also "Thời gian hoàn thành các nội dung trên:".
_ABOVE = re.compile(
    r"(?:^|(?<=[.;:\n]))\s*(?:[-–+•]\s*)?(?:thoi (?:gian|han)(?: hoan thanh| thuc hien)?\s+)?"
    r"(?:(?:cac|nhung)\s+)?(?:nhiem vu|noi dung|cong viec|phan viec|viec)(?:\s+[a-z]+){0,4}?\s+"
    r"(?:(?:(?:neu|ke|noi|de ra|duoc giao)\s+)?tren\b|(?:neu|quy dinh)?\s*tai\s+(?:cac\s+)?(?:muc|diem|khoan|phan)\b)"
)


# A performer that points back ("Các đơn vị trên", "Các cơ quan, đơn vị nêu trên", "Các sở kể trên") and only
# finishes or reports the result of the work above: no deliverable of its own ("gửi báo cáo 6 tháng" is one).
_POINTS_BACK = re.compile(
    r"\s*(?:(?:neu|ke|noi)\s+)?tren\s*,?\s*(?:phai\s+|can\s+|co trach nhiem\s+)?"
    r"(?:(hoan thanh|thuc hien xong|xong)\b|(?:(?:gui\s+)?bao\s*cao|gui)\s+(?:ket qua|tinh hinh thuc hien|viec thuc hien)\b"
    # a written report on the work above: "… nêu trên phải có văn bản báo cáo (gửi về) Bộ …"
    r"|(?:co|gui)\s+van\s+ban\s+bao\s*cao\b)"
)
# A sentence whose subject points back at the performers above ("Theo yêu cầu, các Cục Thuế tỉnh nêu trên phải …",
# "Các đơn vị trên hoàn thành …"), whether or not it was read as a task: the pointer word's position is `ptr`.
_POINTER_SUBJECT = re.compile(
    r"(?:^|(?<=[.;:\n]))\s*(?:[-–+•]\s*)?(?:theo (?:yeu cau|do)\s*,\s*)?(?:cac|nhung)\s+[^.;:,\n]{1,60}?\s"
    r"(?P<ptr>(?:(?:neu|ke|noi)\s+)?tren)\b"
)


def _date_the_tasks_above(
    tasks: list[Task], text: str, folded: str, meta: Metadata, calendar: WorkCalendar | None, body_end: int
) -> None:
    """Give the tasks above a sentence that points back at them its time, those that state none of their own, back
    to the previous such sentence: a work noun ("Các nhiệm vụ trên hoàn thành trước ngày …") or the performers named
    again by a pointer ("Các đơn vị trên báo cáo kết quả về UBND tỉnh trước ngày …": their report step too)."""
    scopes: list[tuple[int, int, Deadline, bool]] = []  # (start, end, time, a report step)
    for m in _ABOVE.finditer(folded, 0, body_end):
        end = min(x for x in (folded.find(".", m.end()), folded.find("\n", m.end()), body_end) if x >= 0)
        d = dl.parse_folded(folded[m.start() : end], text[m.start() : end], meta.date, calendar)
        if d.kind != "none" and not d.vague:
            d.start += m.start()
            d.end += m.start()
            scopes.append((m.start(), m.end(), d, False))
    for task in tasks:
        d = task.deadline
        if (
            task.lead_span is not None
            and _POINTS_BACK.match(folded, task.lead_span[1])
            and d.kind != "none"
            and not d.vague
            and task.start <= d.start < task.end
        ):
            reports = not _POINTS_BACK.match(folded, task.lead_span[1]).group(1)  # type: ignore[union-attr]
            scopes.append((task.start, task.lead_span[1], d, reports))
    for m in _POINTER_SUBJECT.finditer(folded, 0, body_end):
        back = _POINTS_BACK.match(folded, m.start("ptr"))
        if back is None or any(t.start <= m.start("ptr") < t.end for t in tasks):
            continue  # a task of its own is read above, from its performer
        end = min(x for x in (folded.find(".", m.end()), folded.find("\n", m.end()), body_end) if x >= 0)
        d = dl.parse_folded(folded[m.start() : end], text[m.start() : end], meta.date, calendar)
        if d.kind in ("date", "period") and not d.vague:
            d.start += m.start()
            d.end += m.start()
            scopes.append((m.start(), m.end(), d, not back.group(1)))
    scope_from = 0
    for start, end, d, reports in sorted(scopes, key=lambda x: x[0]):
        for task in tasks:
            if scope_from <= task.start < start and task.deadline.kind == "none" and not task.deadline.vague:
                if reports and not task.report.get("required"):
                    task.report["required"] = True
                _date_from_elsewhere(task, d, meta)
        scope_from = end


# The text announces that the details of a summary follow ("...; cụ thể:", "Công văn nêu rõ, ...", "Theo đó, ...").
_DETAIL_FOLLOWS = re.compile(r"\b(?:cu the|neu ro|theo do|nhu sau)\b")
_REPORT_STEP = re.compile(
    r"\s*(?:co trach nhiem\s+|phai\s+|can\s+)?(?:tong hop(?:\s+(?:ket qua|tinh hinh))?\s*,?\s*)?"
    r"(?:bao\s*cao|trinh|gui\s+(?:bao cao|ket qua|ve))\b"
    # or only the time of the work above: "Sở Tài chính hoàn thành (việc này) trước ngày 30/6/2020."
    # ("hoàn thành việc kiểm tra trước ngày 30/4/2021": the work named again in a few words)
    r"|\s*(?:phai\s+|can\s+|co trach nhiem\s+)?(?:hoan thanh|thuc hien xong|xong)(?:\s+(?:nhiem vu|viec|cong viec)(?:\s+(?:nay|tren)"
    r"|(?:\s+[a-z]+){1,4}?(?=\s*,?\s*(?:truoc|cham nhat|trong|vao)\b))?)?"
    r"\s*,?\s*(?:truoc|cham nhat|trong|vao)\b"
)
_GENERIC_CLASS = re.compile(r"cac\s+(?:dia phuong|don vi|co quan|nganh|don vi, dia phuong|co quan, don vi)")
_THIS_PLAN = re.compile(r"\b(?:ke hoach|chuong trinh|de an)\s+nay\b")
_EXHORT = re.compile(
    r"\s*(?:co trach nhiem\s+|chu dong\s+)?(?:phoi hop\s*(?:va|,)?\s*)?(?:(?:to chuc|trien khai|nghiem tuc)\s*,?\s*)*"
    r"(?:thuc hien|trien khai(?:\s+thuc hien)?)(?:\s*,?\s*(?:nghiem tuc|co hieu qua|kip thoi|dong bo))*\s*(?:[.;]|$)"
)


def _body_follows(text: str, pos: int, end: int) -> bool:
    """A sentence of running text (ended by a full stop) follows pos: what stood before was a title."""
    return bool(re.search(r"[^\n]{60,}[.!?…]\s*(?:\n|$)", text[pos:end]))


def _dated(folded_text: str) -> bool:
    """Whether a stretch of text states a time for its work (a date, a period or a cycle, not a stand-in)."""
    d = dl.parse_folded(folded_text, folded_text, None)
    return d.kind != "none" and not d.vague


def _same_performers(a: list[str], b: list[str]) -> bool:
    """The same performers, one naming them more fully ("các Sở GTVT" / "các Sở GTVT các tỉnh, thành phố")."""
    if not a or len(a) != len(b):
        return False
    return all(
        fold_keep(x).startswith(fold_keep(y)) or fold_keep(y).startswith(fold_keep(x))
        for x, y in zip(a, b, strict=True)
    )


#: How many following tasks `_restated` compares a task with.
_RESTATED_WINDOW = 40


def _restated(task: Task, later: Task) -> bool:
    """`later` repeats `task`: the same performers, and every word of `task` in it (it may say more)."""
    if not task.lead_names or not _same_performers(task.lead_names, later.lead_names):
        return False
    words = set(re.findall(r"\w+", fold_keep(task.text)))
    return len(words) >= 6 and words <= set(re.findall(r"\w+", fold_keep(later.text)))


# "… thực hiện nghiêm chỉ đạo của Thủ tướng Chính phủ (tại Thông báo số …) về phòng, chống dịch.": carry out
# someone else's orders, named only by their author, their letter and their topic.
_EXHORT_ORDERS = re.compile(
    r"\s*(?:nghiem tuc\s+)?(?:thuc hien|trien khai(?:\s+thuc hien)?|quan triet)\s+(?:(?:nghiem|nghiem tuc|nghiem chinh"
    r"|day du|co hieu qua)\s+)?(?:cac\s+)?(?:(?:y kien\s+)?chi dao|van ban|chi thi|cong dien|ket luan)\s+(?:cua|tai)\b"
    r"(?:[^;.]|\.(?=\S))*(?:\.\s*$|$)"
)


def _exhortation(folded: str, task: Task) -> bool:
    """A task whose first sentence, after the performer, only says "carry it out" (or "carry out X's orders")."""
    body = folded[task.body_start : task.end]
    if (
        _EXHORT_ORDERS.match(body)
        and len(body.split()) <= 30
        and not re.search(r"\b(?:truoc|cham nhat|han)\b|,\s*(?:dong thoi|va)\s", body)
    ):
        return (
            True  # the date in it is the orders' letter's ("Thông báo số 31 ngày 25/2/2021"), not a deadline
        )
    return bool(_EXHORT.match(body)) and not re.search(
        r"\d{1,2}\s*[/.\-]\s*\d{1,2}", folded[task.start : task.end]
    )


_TITLE_PERIOD = re.compile(r"giai doan\s*(\d{4})\s*[-–]\s*(\d{4})")


def _plan_period(text: str, folded: str, end: int) -> Deadline | None:
    """The period in the title of a plan the text issues ("KẾ HOẠCH ... GIAI ĐOẠN 2021 - 2025"): the time frame of
    a task that implements "Kế hoạch này" (GUIDE §4.4, a plan period)."""
    for m in _TITLE_PERIOD.finditer(folded, 0, end):
        if text[m.start() : m.start() + 9].isupper():
            raw = " ".join(text[m.start() : m.end()].split())
            return Deadline(
                "period", f"{m.group(1)}/{m.group(2)} (period of the plan, from its title)", raw, -1, -1
            )
    return None


def _fill(
    task: Task,
    text: str,
    folded: str,
    meta: Metadata,
    local: bool,
    reg: Any,
    calendar: WorkCalendar | None,
    opening: Deadline | None = None,
    scope_from: int | None = None,
    seen: _Seen | None = None,
) -> None:
    s, e = task.start, task.end
    seen = seen or _Seen(text, folded)
    tf = folded[s:e]
    # Performer members, resolved.
    for name in task.lead_names:
        task.resolutions.append(reg.resolve(_antecedent(text, folded, name, s, seen) or name, local=local))
    if task.lead_names and any(r.status == "collective" for r in task.resolutions):
        task.collective = True
    # Report, submission.
    body_off = max(0, task.body_start - s)
    body = tf[body_off:]
    rep = None
    for m in _REPORT_VERB.finditer(body):
        at = s + body_off + m.start()
        if re.search(r"\b[kK]ý\s+(?:các\s+)?$", text[max(0, at - 10) : at]):
            continue
        if (
            _PURPOSE.search(body, 0, m.start())
            or _ADVISED.search(body, max(0, m.start() - 90), m.start())
            or body.endswith("de ", 0, m.start())
        ):
            continue  # "trình UBND tỉnh ... để xem xét, báo cáo Bộ KH&ĐT", "… về Bộ để tổng hợp báo cáo Thủ tướng":
            # the receiver's onward report; "tham mưu UBND tỉnh báo cáo …": the superior's  # signing a report ("ký Báo cáo gửi Quốc hội") is neither reporting nor submitting
        if _NOUN_REPORT.search(body[max(0, m.start() - 12) : m.start() + 8]) and not re.search(
            r"gui", body[m.start() : m.end()]
        ):
            continue
        rep = m
        break
    if rep is None:
        rep = _report_to_a_body(text, folded, s + body_off, e)
    cond = _CONDITIONAL.search(body)
    if rep is not None or (cond and _own_report_word(body)):
        task.report["required"] = True
        task.report["conditional"] = bool(cond)
        pos = rep.start() if rep is not None else cond.start()  # type: ignore[union-attr]
        tm = re.search(_RECIPIENT, body[pos : pos + 120])
        if tm:
            to_start = s + body_off + pos + tm.start()
            k = tokenize(text, folded, to_start, min(e, to_start + 150))
            ph = parse_performers(k, 0) if k else None
            task.report["to"] = ph.names if ph else []
        task.report["pos"] = s + body_off + pos
    sub = _SUBMIT.search(body)
    while sub is not None and (
        _PURPOSE.search(body, 0, sub.start())
        or _in_the_report(body, sub)
        or _OTHERS_SUBMISSION.search(body, max(0, sub.start() - 50), sub.start())
        or _DIRECTED_ACT.search(body, max(0, sub.start() - 80), sub.start())
        or _NOUN_COMPOUND.search(body, max(0, sub.start() - 16), sub.start())
        or _PERSON_TRINH.search(text, max(0, s + body_off + sub.start() - 20), s + body_off + sub.end())
    ):
        sub = _SUBMIT.search(body, sub.end())  # "... để tổng hợp, trình UBND tỉnh": the superior's onward act
    if sub is not None:
        task.submit = True
        task.report["submit_pos"] = s + body_off + sub.start()
    # Deadline of the task.
    ref = meta.date
    d = dl.parse_folded(tf, text[s:e], ref, calendar)
    fronted = False
    own_report_time: Deadline | None = None
    if d.start >= 0:
        d.start += s
        d.end += s
        if (
            d.kind in ("date", "period")
            and _FOR_A_LATER_STEP.match(folded, d.end, e)
            and not _RECEIVERS_STEP.match(folded, d.end, e)
        ):
            # "lấy ý kiến … trước ngày 20/6 để hoàn thiện, báo cáo UBND tỉnh trước ngày 24/6": the first date is a
            # step's, done for the later one; the later step's date is the task's (GUIDE §2.2, one chain).
            stop = re.compile(r"[.;](?=\s|$)").search(folded, d.end, e)
            upto = stop.start() if stop else e
            later = dl.parse_folded(folded[d.end : upto], text[d.end : upto], ref, calendar)
            if later.kind in ("date", "period") and not later.vague and later.start >= 0:
                later.start += d.end
                later.end += d.end
                d = later
        rpos = task.report.get("pos")
        if rpos is not None and task.body_start < rpos <= d.start + 14:
            # "... xong trong tháng 6/2020. Tình hình thực hiện báo cáo … trước ngày 5/7/2020": the work's own time
            # before the report step is the task's deadline; the later date is the report's.
            work = dl.parse_folded(
                folded[task.body_start : rpos], text[task.body_start : rpos], ref, calendar
            )
            if work.kind in ("date", "period") and not work.vague and work.start >= 0:
                work.start += task.body_start
                work.end += task.body_start
                if not _FOR_A_LATER_STEP.match(folded, work.end):
                    d, own_report_time = work, d
    elif scope_from is not None and scope_from < s and not d.vague:
        # A time stated at the head of the task's own sentence, before its subject ("Quý I/2020 là dịp Tết, vì
        # vậy các ngành ... cần ..."): in the task's scope.
        front = dl.parse_folded(folded[scope_from:s], text[scope_from:s], ref, calendar)
        if front.kind in ("date", "period") and not front.vague:
            d, fronted = front, True
            d.start += scope_from
            d.end += scope_from
    if d.kind == "none" and not d.vague:
        d = (
            dl.antecedent(folded, text, s, e, ref, calendar) or d
        )  # "đảm bảo khung thời vụ": the window given above
    if d.kind == "none" and opening is not None and not d.vague:
        d = opening  # stated once in the opening; positions before the task, so never a report deadline
    task.deadline = d
    if task.report.get("required") and not task.report.get("conditional") or task.report.get("required"):
        rpos = task.report.get("pos", s)
        if (
            d.kind != "none"
            and not d.vague
            and (
                d.start >= rpos - 14
                or fronted
                or s <= d.start < task.body_start
                or _fronted_in_sentence(folded, d, rpos)
            )
        ):
            task.report_deadline = (
                d  # after the report verb, or fronted before the performer (the whole clause)
            )
        elif d.kind == "recurring" and (d.start >= rpos - 30 or s <= d.start < task.body_start):
            task.report_deadline = d
        else:
            task.report_deadline = None
        if own_report_time is not None:
            task.report_deadline = own_report_time
        if task.report_deadline is None and rpos < e:
            # The work's own time came first; the report step states a time of its own after its verb, in its
            # own clause ("hoàn thành trước ngày 30/4; báo cáo kết quả ... trước ngày 15/5").
            stop = re.compile(r";|\.(?=\s)|\n").search(folded, rpos, e)
            upto = stop.start() if stop else e
            later = dl.parse_folded(folded[rpos:upto], text[rpos:upto], ref, calendar)
            if later.kind != "none" and not later.vague:
                later.start += rpos
                later.end += rpos
                task.report_deadline = later
    if (
        task.submit
        and d.kind != "none"
        and (d.start >= task.report.get("submit_pos", s) - 14 or fronted or s <= d.start < task.body_start)
    ):
        task.submit_deadline = d
    # Coordinators: before the performer's own report/submission step.
    limit = min(task.report.get("pos", e), task.report.get("submit_pos", e))
    for m in _COORD.finditer(folded, task.body_start, e):
        if m.start() >= limit and not re.search(r"[.;]", folded[limit : m.start()]):
            continue  # in the report's or submission's own clause; a later clause has coordinators of its own
        if _OTHERS_COORDINATION.search(folded, max(task.body_start, m.start() - 80), m.start()):
            continue  # "hướng dẫn UBND cấp xã phối hợp các ngành ...": the coordination of the body guided
        k = tokenize(text, folded, m.end(), min(e, m.end() + 300))
        ph = parse_performers(k, 0) if k else None
        if ph:
            task.coordinators.extend(" ".join(n.split()) for n in ph.as_written(text))
    # Requirements: conditions quoted as written.
    for m in _REQUIREMENT.finditer(tf):
        task.requirements.append(" ".join(text[s + m.start() : s + m.end()].split()).rstrip(" ,"))
    task.urgent = bool(_URGENT.search(tf))
    task.ongoing = d.kind == "none" and bool(_ONGOING.search(tf))
    last = _BLANK_TO_END.match(text, e) is not None  # nothing but blanks after the task
    byline = _BYLINE.search(text, s, e) if last else None
    if byline is not None:
        # A news item's byline closes the text: the item ended there, its last sentence was not cut.
        task.end = s + len(text[s : byline.start()].rstrip())
        task.text = text[s : task.end]
    closed = byline is not None or text[s:e].rstrip().endswith((".", ";", "!", "?", ")", "”", '"'))
    if _READ_MORE.match(folded, e):
        task.truncated = not closed or text[s:e].rstrip().endswith(("...", "…"))
    else:
        task.truncated = last and not closed
    _issues(task, meta)
    task.confidence = _confidence(task, tf, body, meta)


# "Trình" as the last syllable of a person's name ("đồng chí Nguyễn Mạnh Trình"): capitalised after a capital.
# A purpose clause right after a date: the dated step serves the next ("… trước ngày 20/6 để hoàn thiện, …").
_FOR_A_LATER_STEP = re.compile(r"\s*,?\s*(?:de|nham)\s+(?!biet\b)[a-z]")
# A purpose clause that is the receiver's act, not the performer's next step: "gửi Sở Tài chính trước ngày 20/4 để
# tổng hợp, báo cáo UBND tỉnh trước ngày 30/4", "… để UBND tỉnh báo cáo Bộ …" (GUIDE §4.5: the onward report is
# the receiver's; the performer's date is the first).
_RECEIVERS_STEP = re.compile(
    r"\s*,?\s*(?:de|nham)\s+(?:kip thoi\s+)?(?:tong hop|(?:ubnd|uy ban|chu tich|so|bo|hdnd|van phong|thuong truc)\b)"
)
_PERSON_TRINH = re.compile(r"[A-ZĐÀ-Ỹ][^\W\d_]*\s+Trình$")
# The submission of a body the performer guides or directs, in the same clause: "hướng dẫn các chủ đầu tư trình thẩm
# định" (GUIDE 4.5: the verb the performer itself must carry out). The directed body is a plural noun phrase ("các …",
# "những …") or a unit; a comma ends the clause ("hướng dẫn các xã thực hiện, trình UBND tỉnh": the performer's own
# next step). Not applied to reports: "chỉ đạo các đơn vị … báo cáo …" lost a report of the held-out part's labels.
_DIRECTED_ACT = re.compile(
    r"\b(?:huong dan|chi dao|don doc|yeu cau|de nghi)\s+(?:(?:cac|nhung)\s+[a-z]|(?:ubnd|uy ban|so|phong|truong)\b)"
    r"[^,;.:]{0,60}$"
)
# A proposal or advice word as the second half of a noun compound: "cơ quan tham mưu", "công tác tham mưu", "vai trò
# đề xuất": a body or an activity named, not the performer's act.
_NOUN_COMPOUND = re.compile(r"\b(?:co quan|cong tac|vai tro|chuc nang|bo phan|kha nang|chat luong)\s+$")
# A purpose clause whose subject is another body: "..., để UBND tỉnh trình Bộ Y tế" is the province's own act.
_OTHERS_SUBMISSION = re.compile(r"\bde\s+(?:ubnd|uy ban|chu tich|so|bo|hdnd|van phong)\b[^.;,]{0,40}$")


def _fronted_in_sentence(folded: str, d: Deadline, at: int) -> bool:
    """The time opens the sentence whose verb at `at` follows it ("Trước ngày 30/4/2021, Sở Y tế phải báo cáo
    ..."): the whole sentence is in its scope."""
    if not 0 <= d.end <= at or re.search(r"[.;\n]", folded[d.end : at]):
        return False
    head = folded[max(0, d.start - 3) : d.start]
    return d.start == 0 or bool(re.search(r"(?:[.;:\n]|^)\s*$", head))


def _in_the_report(body: str, sub: re.Match[str]) -> bool:
    """A proposal that is part of a report being written ("xây dựng báo cáo sơ kết … và đề xuất phương hướng, nhiệm
    vụ"): the report's content, addressed to nobody, not a submission (GUIDE §4.5)."""
    if not sub.group(0).startswith(("de", "kien")):
        return False
    clause = re.split(r"[.;]", body[: sub.start()])[-1]
    return bool(_NOUN_REPORT.search(clause)) and not re.match(
        r"\s*(?:len\s+|voi\s+)?" + _RECIPIENT, body[sub.end() :]
    )


# A body the performer guides or directs, right before "phối hợp": the coordination is that body's, not the lead's.
_OTHERS_COORDINATION = re.compile(
    r"\b(?:huong dan|chi dao|don doc|yeu cau|de nghi)\s+(?:cac\s+)?(?:ubnd|uy ban|so|phong|ban|truong|don vi|dia phuong)"
    r"[^,;.]{0,50}$"
)


# A news item's byline on the last line: an author's name alone or with the paper or unit after a slash or in
# brackets ("Minh Phương/BCH Quân sự tỉnh Vĩnh Phúc", "Tố Tuấn", "Lan Anh (TTXVN)").
_BYLINE = re.compile(
    r"\n[ \t]*[A-ZĐÀ-Ỹ][a-zđà-ỹ]*(?:[ \t]+[A-ZĐÀ-Ỹ][a-zđà-ỹ]*){1,3}[ \t]*(?:[/(][^\n]{1,60})?[ \t]*$"
)
# A portal's excerpt cut before its end, with a link to the rest ("Xem chi tiết tại đây").
_READ_MORE = re.compile(r"\s*(?:xem chi tiet|xem tiep|doc tiep|xem them|chi tiet xem)\b[^\n]{0,40}\s*$")


_BARE_HEADS = {"Bộ", "Sở", "Cục", "Tổng cục", "Tập đoàn", "Tổng công ty"}


def _antecedent(text: str, folded: str, name: str, before: int, seen: _Seen | None = None) -> str | None:
    """A bare head ("yêu cầu Bộ tổ chức ...") names the body of that kind the text named last (GUIDE §4.1,
    anaphora): its full name, or None.

    "Sở GT-VT cần tổ chức …" after "đề nghị Sở GT-VT các tỉnh, thành phố …": the short name stands for the open
    class the text named in full before (one such body in every province), not the city's own body: the first such
    naming before the task.

    The mentions of each name are found once per document (`seen`, `_Mentions`): reading the whole text before every
    task for them cost time growing with the square of the text (issue 17)."""
    seen = seen or _Seen(text, folded)
    return seen.mentions(name).antecedent(before)


#: How far after a mention of a name its performer phrase is read (characters).
_MENTION_SPAN = 150


class _Mentions:
    """The mentions of one name in a document ("Sở GT-VT các …" for a short name, "Bộ Y tế" after a bare "Bộ"),
    each read once for its performer phrase. A mention counts before position `before` when the text up to
    `before` alone still matches it (its look-ahead included); its phrase is read up to `before` or
    _MENTION_SPAN characters on, whichever comes first, so a mention at least _MENTION_SPAN characters back reads
    the same for every later task and is read once; only the few mentions closer than that are read again."""

    def __init__(self, text: str, folded: str, name: str) -> None:
        self.text, self.folded, self.name = text, folded, name
        self.bare = name in _BARE_HEADS
        if self.bare:
            pattern, ahead = rf"\b{name}\s+(?=[A-ZĐÀ-Ỹ])", 1
        else:
            pattern, ahead = rf"(?<!\w){re.escape(name)}\s+(?=(?:các|cấp)\s)", 4
        found = list(re.finditer(pattern, text))
        self.starts = [m.start() for m in found]
        self.ready = [m.end() + ahead for m in found]  # the text must reach here for the mention to match
        self.fixed_from = [m.start() + _MENTION_SPAN for m in found]
        self.read: dict[int, str | None] = {}  # mention index -> its name read over the whole span
        self.first_ok: int | None = (
            None  # open class: the first mention read over its whole span that names one
        )
        self.scanned = 0
        self.last_ok: list[int] = []  # bare head: for each mention, the last one up to it that names the body

    def _reading(self, i: int, before: int) -> str | None:
        st = self.starts[i]
        toks = tokenize(self.text, self.folded, st, min(before, st + _MENTION_SPAN))
        ph = parse_performers(toks, 0) if toks else None
        if self.bare:
            ok = ph and ph.names and ph.names[0] != self.name and not ph.collective
        else:
            ok = ph and ph.collective and len(ph.names) == 1 and ph.names[0].startswith(self.name + " ")
        return ph.names[0] if ok and ph else None

    def _whole(self, i: int) -> str | None:
        if i not in self.read:
            self.read[i] = self._reading(i, self.fixed_from[i])
        return self.read[i]

    def antecedent(self, before: int) -> str | None:
        valid = bisect_right(self.ready, before)
        whole = min(valid, bisect_right(self.fixed_from, before))  # mentions [0, whole) read over their span
        if not self.bare:
            while self.first_ok is None and self.scanned < whole:
                if self._whole(self.scanned) is not None:
                    self.first_ok = self.scanned
                self.scanned += 1
            if self.first_ok is not None and self.first_ok < whole:
                return self.read[self.first_ok]
            for i in range(whole, valid):
                found = self._reading(i, before)
                if found is not None:
                    return found
            return None
        for i in range(valid - 1, whole - 1, -1):
            found = self._reading(i, before)
            if found is not None:
                return found
        while len(self.last_ok) < whole:
            i = len(self.last_ok)
            self.last_ok.append(i if self._whole(i) is not None else (self.last_ok[-1] if i else -1))
        return self.read[self.last_ok[whole - 1]] if whole and self.last_ok[whole - 1] >= 0 else None


class _Seen:
    """What `_fill` looks up in the text before each task, indexed once per document."""

    def __init__(self, text: str, folded: str) -> None:
        self.text, self.folded = text, folded
        self.named: dict[str, _Mentions] = {}

    def mentions(self, name: str) -> _Mentions:
        if name not in self.named:
            self.named[name] = _Mentions(self.text, self.folded, name)
        return self.named[name]


_BLANK_TO_END = re.compile(r"\s*\Z")
_STOPS = re.compile(r"[.;:\n]")
_BAO_CAO = re.compile(r"(?<![a-z])(?<!de )bao\s*cao\s+")  # not "để báo cáo": the receiver's onward report


def _report_to_a_body(text: str, folded: str, b: int, e: int) -> re.Match[str] | None:
    """ "báo cáo" followed, within a few small words, by a body named with a capital ("báo cáo đầy đủ Thường trực
    Tỉnh ủy", "báo cáo tổng hợp về Ban Chỉ đạo tỉnh"): the performer reports to that body (GUIDE §4.5). The match
    is on the body string folded[b:e], like the report-verb matches."""
    body = folded[b:e]
    for m in _BAO_CAO.finditer(body):
        if (
            _NOUN_REPORT.search(body, max(0, m.start() - 12), m.end())
            or _PURPOSE.search(body, 0, m.start())
            or _ADVISED.search(body, max(0, m.start() - 90), m.start())
        ):
            continue
        toks = tokenize(text, folded, b + m.end(), min(e, b + m.end() + 80))
        for k, tok in enumerate(toks[:7]):
            if not tok.word or tok.f in ("va", "de", "trinh"):
                break
            if tok.cap:
                if _starts_agency(toks, k):
                    return m
                break
    return None


def _own_report_word(body: str) -> bool:
    """ "báo cáo" said of the performer's own act: not the receiver's onward report ("để tổng hợp báo cáo"), nor
    the act of the superior the performer advises ("tham mưu UBND tỉnh báo cáo …")."""
    return any(
        not body.endswith("de ", 0, m.start())
        and not body.endswith("de tong hop ", 0, m.start())
        and not _ADVISED.search(body, max(0, m.start() - 90), m.start())
        for m in re.finditer(r"bao\s*cao", body)
    )


# The superior the performer advises, right before a verb: that verb is the superior's act, the advice is the
# performer's ("tham mưu UBND tỉnh báo cáo Bộ Y tế …": UBND tỉnh reports, the department submits).
_ADVISED = re.compile(
    r"\btham\s*muu\s+(?:cho\s+)?(?:chu tich\s+|lanh dao\s+|thuong truc\s+)?"
    r"(?:ubnd|uy ban|hdnd|hoi dong nhan dan|thu tuong|chinh phu|bo|so|tinh uy|thanh uy|huyen uy|ban thuong vu)\b"
    r"[^,;.:]{0,50}$"
)
_PURPOSE = re.compile(
    r"\bde\s+(?:xem\s*xet|chi\s*dao|quyet\s*dinh|phe\s*duyet|tong\s*hop)"
    r"(?:\s*,\s*(?:xem\s*xet|chi\s*dao|quyet\s*dinh|tong\s*hop))*\s*,?\s*$"
)
_DATE_LIKE = re.compile(
    r"(?<![\d/])\d{1,2}\s*[/.\-]\s*\d{1,2}(?![\d/])|\bquy\s+(?:i|ii|iii|iv|[1-4])\b|\bthang\s+\d"
)
_SUBMIT_WORD = re.compile(_TRINH_NOUN + r"\btrinh\b|tham\s*muu\b")  # also run together: "phụ nữtham mưu"
# A head and one ordinary word ("Sở Văn"): a name cut short, unlike an abbreviation ("Sở GTVT", "Sở KH&ĐT").
_HEAD_ONLY = re.compile(r"^(?:Sở|Bộ|Ban|Cục|Vụ|Phòng)\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")


# First syllables of the verbs (and punctuation) that may follow a performer's name: the name ends there.
_PREDICATE_START = (
    _STOP
    | _VERB_WORDS
    | _RUN_STOP
    | set("chuyen quyet dinh chan dong thanh phe thuc lap uu sap mo ap ho khac".split())
)


def _after(body: str, name: str) -> str:
    """What follows a coordinator's name in the clause (folded), or "" when it is not found as written."""
    key = fold_keep(name)
    at = body.find(key)
    return body[at + len(key) :] if at >= 0 else ""


def _predicate_follows(body: str) -> bool:
    """Whether what follows the performer (folded) starts with a verb or a separator."""
    m = re.match(r"\s*([a-z]+|\S)", body)
    return m is None or not m.group(1).isalpha() or m.group(1) in _PREDICATE_START


_NOUN_USE = re.compile(
    r"\b(?:ky|chuan bi|hoan thien|hoan chinh|xay dung|du thao|de)\s+(?:(?:noi dung\s+)?cac\s+)?bao\s*cao\b"
)


def _confidence(task: Task, tf: str, body: str, meta: Metadata | None = None) -> dict[str, float]:
    """Per-field confidence from the form each field was read from (see CONFIDENCE_FIELDS)."""
    conf: dict[str, float] = {}
    conf["task"] = {"trigger": 0.9, "subject": 0.8, "bullet": 0.8}.get(task.anchor, 0.6)
    if task.anchor == "sentence":  # proposed by the sentence model: its probability, capped as a guess
        conf["task"] = min(task.confidence.get("task", 0.6), 0.6)
    if task.truncated:
        conf["task"] = min(conf["task"], 0.6)
    elif (
        task.anchor == "subject"
        and (task.collective or task.lead is None)
        and task.deadline.kind == "none"
        and not task.report.get("required")
        and not task.submit
    ):
        # An open class as the subject of a clause with no time, report or submission: the shape of a news
        # item's exhortation or of a reported fact (GUIDE §2.4) as much as of an order.
        conf["task"] = min(conf["task"], 0.65)
    # Lead: a registry match is sure; a bare head word ("Sở Văn") or a name the registry does not know is not.
    statuses = {r.status for r in task.resolutions}
    if task.lead is None:
        conf["lead"] = 0.5
    elif "unknown" in statuses or any(_HEAD_ONLY.match(r.written) for r in task.resolutions):
        conf["lead"] = 0.5
    elif not _predicate_follows(body):
        conf["lead"] = 0.65  # no verb after the name: the name may go on ("Ban Chỉ | đạo", "Đơn vị | tư vấn")
    elif task.anchor == "bullet":
        conf["lead"] = 0.75
    elif task.collective or statuses & {"collective", "former"}:
        conf["lead"] = 0.8
    else:
        conf["lead"] = 0.9
    # Coordinators: a "phối hợp với" whose bodies were not read, or a name cut short, is to be checked.
    # (a coordinator goes on with "và" to the next; a lead followed by "và" was cut from its list)
    if any(
        _HEAD_ONLY.match(c) or not _predicate_follows(re.sub(r"^\s*va\b", ",", _after(body, c)))
        for c in task.coordinators
    ):
        conf["coordinators"] = 0.6
    elif not task.coordinators and re.search(r"\b(?:phoi\s*hop|cung)\s+voi\s+(?:cac\s+)?[a-z]", body):
        conf["coordinators"] = 0.6
    else:
        conf["coordinators"] = 0.9
    # Deadline: a full date is sure; a date without its year, an event or a number left unread is not.
    d = task.deadline
    value = d.value or ""
    if d.kind == "date":
        if value.startswith("--"):
            conf["deadline"] = 0.5  # no year, and no document date to resolve it against
        elif not re.search(r"\d{4}", d.raw or ""):
            conf["deadline"] = 0.75  # the year comes from the document's date
        else:
            conf["deadline"] = 0.95
    elif d.kind == "period":
        if "(event-anchored" in value or d.day is None:
            conf["deadline"] = 0.6
        else:
            conf["deadline"] = 0.85
    elif d.kind == "recurring":
        conf["deadline"] = 0.65 if d.vague else 0.85
    elif _DATE_LIKE.search(tf):
        conf["deadline"] = 0.5  # a date-like phrase the grammar did not take as a deadline
    else:
        conf["deadline"] = 0.75 if d.vague else 0.85
    if d.kind != "none" and not d.vague:
        # Another time in the task's text besides the one taken (which date is the task's?), a date read from an
        # event the performer holds, or a time counted from a date that is not the document's own: to check.
        own = (d.start - task.start, d.end - task.start) if task.start <= d.start < task.end else (-1, -1)
        if any(not own[0] <= m.start() < own[1] for m in _DATE_LIKE.finditer(tf)):
            conf["deadline"] = min(conf["deadline"], 0.65)
        if d.kind == "date" and fold_keep(d.raw or "").startswith("ngay"):
            conf["deadline"] = min(conf["deadline"], 0.65)
        if "kể từ" in value and (meta is None or meta.date_source != "header"):
            conf["deadline"] = min(conf["deadline"], 0.6)  # counted from a date that is not the header's
    # Report and submission: a verb with its recipient is sure; a bare "báo cáo" / "đề xuất" may be a noun.
    if task.report.get("required"):
        conf["report"] = 0.75 if task.report.get("conditional") else (0.9 if task.report.get("to") else 0.7)
    else:
        uses = [m.start() for m in re.finditer(r"\bbao\s*cao\b", body)]
        if not uses:
            conf["report"] = 0.95
        else:
            # "báo cáo" only as the document worked on ("chuẩn bị báo cáo", "ký báo cáo", "dự thảo báo cáo") or
            # the superior's onward step ("để báo cáo Bộ"): the reading is sure; a bare verb-like use is not.
            nouns = all(_NOUN_USE.search(body, max(0, at - 25), at + 8) for at in uses)
            conf["report"] = 0.85 if nouns else 0.6
    says_submit = _SUBMIT_WORD.search(body)
    proposes = re.search(r"\b(?:de\s*xuat|kien\s*nghi)\b", body)
    if task.submit:
        conf["submit"] = 0.9 if says_submit else 0.65
    else:
        if not (says_submit or proposes):
            conf["submit"] = 0.95
        else:
            # Only noun forms ("các đề xuất", "kiến nghị của …", "quy trình"), which the submit verb rule leaves out:
            # a sure "no"; a verb form set aside (a purpose, a report's content) is to check.
            conf["submit"] = 0.85 if _SUBMIT.search(body) is None else 0.65
    return conf


def _issues(task: Task, meta: Metadata) -> None:
    """The GUIDE §4.7 issue vocabulary, applied mechanically."""
    issues: list[str] = []
    if task.lead is None:
        issues.append("no_lead")
    elif task.collective:
        issues.append("collective_lead")
    elif len(task.resolutions) > 1:
        issues.append("multiple_leads")
    if not task.truncated:
        d = task.deadline
        if d.vague:
            issues.append("vague_deadline")
        elif d.kind == "none":
            issues.append("no_deadline")
        if task.report.get("required") and not task.report.get("conditional"):
            rd = task.report_deadline
            if rd is None or rd.kind == "none" or rd.vague:
                issues.append("no_report_deadline")
        ref = meta.reliable_date
        if d.day is not None and ref is not None and d.day < ref:
            issues.append("deadline_before_issue_date")
    task.issues = issues
