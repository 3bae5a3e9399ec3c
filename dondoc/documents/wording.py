"""Wording every document the product writes shares: the dispatch it cites, the signing block, a person's post.

One definition each, so that the monthly report, the urging letter and the inspection notice never disagree
(issue 20, point 4): the same person signs every document with the same block.
"""

from __future__ import annotations

from django.conf import settings

from dondoc.documents.layout import Signature
from dondoc.org.models import Person, Unit

#: Dispatch 3031 cited by its number, date, issuer and real subject (*trích yếu*), as the City published it.
DISPATCH_3031 = (
    "Công văn số 3031/UBND-TKBT ngày 10/7/2020 của UBND Thành phố về nâng cao kỷ luật, kỷ cương hành chính "
    "trong chấp hành và thực hiện các nhiệm vụ của Chính phủ, Thủ tướng Chính phủ, Thành ủy, HĐND, UBND "
    "Thành phố giao"
)

#: The title of a unit's head where it is not "Giám đốc" (a department's): by unit code.
HEAD_TITLES = {
    "VPUBND": "Chánh Văn phòng",
    "TTTP": "Chánh Thanh tra",
    "BQLKCN": "Trưởng ban",
}


#: People's committees: their head signs for the collective (*TM. Ủy ban nhân dân*).
PEOPLES_COMMITTEES = (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.CITY_COMMITTEE)


def head_title(unit: Unit) -> str:
    """The title of the head of `unit` (*chức danh người đứng đầu*): "Giám đốc" of a department, "Chánh Văn phòng"
    of the City Office, "Chủ tịch" of a people's committee (the city's, a ward's, a commune's)."""
    if unit.code in HEAD_TITLES:
        return HEAD_TITLES[unit.code]
    if unit.kind in PEOPLES_COMMITTEES or unit.kind == Unit.Kind.HISTORIC_DISTRICT:
        return "Chủ tịch"
    if unit.kind == Unit.Kind.DIVISION:
        return "Trưởng phòng"
    if unit.name.startswith("Ban "):
        return "Trưởng ban"
    return "Giám đốc"


def title_of(person: Person) -> str:
    """A person's title in their unit: the recorded *chức danh* when there is one, else the head's title, "Phó …"
    for a deputy, "Chuyên viên" for an officer."""
    if person.title.strip():
        return person.title.strip()
    if person.position == Person.Position.HEAD:
        return head_title(person.unit)
    if person.position == Person.Position.DEPUTY:
        return f"Phó {head_title(person.unit)}"
    return "Chuyên viên"


def post_of(person: Person) -> str:
    """A person's post as a document names it: "Giám đốc Sở Xây dựng", "Chủ tịch UBND phường Hoàng Mai",
    "Chuyên viên Sở Y tế" (a title starting with a capital, the unit's name after it)."""
    return f"{title_of(person)} {person.unit.name}"


def signature_for(issuer: Unit, signer: Person | None = None) -> Signature:
    """The signing block of a document of `issuer` signed by `signer` (default: the issuer's head).

    Rule (Decree 30/2020, Art. 13): the head signs in their own title ("CHÁNH VĂN PHÒNG"); a deputy signs on the
    head's behalf, "KT. CHÁNH VĂN PHÒNG" over "PHÓ CHÁNH VĂN PHÒNG"; a people's committee's head signs for the
    collective, "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH". Nobody named: the head's title over an empty name.
    """
    signer = signer or issuer.current_head()
    head = head_title(issuer).upper()
    collective = issuer.kind in PEOPLES_COMMITTEES
    if signer is None:
        return Signature(position=head, name="", authority="TM. ỦY BAN NHÂN DÂN" if collective else "")
    if signer.position == Person.Position.HEAD:
        return Signature(
            position=title_of(signer).upper(),
            name=signer.full_name,
            authority="TM. ỦY BAN NHÂN DÂN" if collective else "",
        )
    return Signature(position=title_of(signer).upper(), name=signer.full_name, authority=f"KT. {head}")


def urging_signature(issuer: Unit) -> Signature:
    """The urging letter's block: the person named by URGING_SIGNER_NAME when the registry knows them in the issuer
    (signed by `signature_for`, like every document), else that name with the configured authority and position
    (URGING_SIGNER_AUTHORITY, URGING_SIGNER_POSITION); no name configured: the issuer's head."""
    name = settings.URGING_SIGNER_NAME.strip()
    if not name:
        return signature_for(issuer)
    person = Person.objects.filter(unit=issuer, full_name=name, active=True).select_related("unit").first()
    if person is not None:
        return signature_for(issuer, person)
    return Signature(
        authority=settings.URGING_SIGNER_AUTHORITY, position=settings.URGING_SIGNER_POSITION, name=name
    )
