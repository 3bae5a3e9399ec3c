"""Builders of what the import tests upload: spreadsheets (the import page, its background run, the audit of bulk
writes) and edXML packages (the exchange page and API, the upload caps, the browser test)."""

from __future__ import annotations

import base64
import io
import json
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

from django.test import Client
from openpyxl import Workbook

from dondoc.api import spreadsheet

# --- spreadsheets -------------------------------------------------------------------------------------------------

GOOD_ROWS = [
    ["27/KH-UBND", "05/03/2026", "H26", "UBND Thành phố", "Kế hoạch cải cách hành chính", "1",
     "Rà soát thủ tục hành chính", "Sở Xây dựng", "Sở Tài chính; SNV", "31/03/2026", "", "Báo cáo", "", "x"],
    ["27/KH-UBND", "05/03/2026", "H26", "UBND Thành phố", "Kế hoạch cải cách hành chính", "2",
     "Số hóa hồ sơ", "SYT", "", "10 ngày làm việc", "", "", "x", ""],
    ["15/CT-UBND", date(2026, 2, 2), "H26", "city_committee", "Chỉ thị kỷ luật", "3",
     "Kiểm tra công vụ", "SNV", "", "", "trước ngày 25 hằng tháng", "", "", ""],
]  # fmt: skip


def xlsx(rows: list[list[object]], headers: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or spreadsheet.HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload_sheet(client: Client, content: bytes):
    """Post a spreadsheet to the import page (its preview)."""
    return client.post("/api/nhap/", {"file": io.BytesIO(content)}, format="multipart")


# --- edXML packages ------------------------------------------------------------------------------------------------

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
CONTENT = (
    "1. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát, công khai thủ tục hành chính về cấp phép "
    "xây dựng, hoàn thành trước ngày 31/3/2026.\n"
    "2. Giao Sở Y tế chủ trì kiểm tra an toàn thực phẩm tại các chợ đầu mối, báo cáo kết quả trước ngày 15/4/2026.\n"
)


def _el(parent, name, text=None):
    node = ET.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        node.text = text
    return node


def package(
    *,
    number="15",
    notation="CT-UBND",
    date_text="02/02/2026",
    organ_id="H26",
    organ_name="Ủy ban nhân dân Thành phố Hà Nội",
    type_name="Chỉ thị",
    subject="Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính",
    content=None,
    due="31/03/2026",
    priority="1",
    document_id="H26,2026/02/02,15/CT-UBND",
    business="0",
    reason="",
    replaces=None,
    attachments=(),
    drop=(),
) -> bytes:
    """An envelope with every element of DOMAIN.md §10; `drop` removes elements by local name."""
    root = ET.Element(f"{{{NS}}}edXMLEnvelope")
    head = _el(root, "edXMLHeader")
    msg = _el(head, "MessageHeader")
    sender = _el(msg, "From")
    _el(sender, "OrganId", organ_id)
    _el(sender, "OrganName", organ_name)
    to = _el(msg, "To")
    _el(to, "OrganId", "VPUBND")
    _el(to, "OrganName", "Văn phòng UBND Thành phố")
    code = _el(msg, "Code")
    _el(code, "CodeNumber", number)
    _el(code, "CodeNotation", notation)
    prom = _el(msg, "PromulgationInfo")
    _el(prom, "Place", "Hà Nội")
    _el(prom, "PromulgationDate", date_text)
    dtype = _el(msg, "DocumentType")
    _el(dtype, "Type", "CT")
    _el(dtype, "TypeName", type_name)
    _el(msg, "Subject", subject)
    if content is not None:
        _el(msg, "Content", content)
    signer = _el(msg, "SignerInfo")
    _el(signer, "Competence", "KT. CHỦ TỊCH")
    _el(signer, "Position", "Phó Chủ tịch")
    _el(signer, "FullName", "Nguyễn Văn A")
    _el(msg, "DueDate", due)
    places = _el(msg, "ToPlaces")
    _el(places, "Place", "Các sở, ban, ngành Thành phố")
    other = _el(msg, "OtherInfo")
    _el(other, "Priority", priority)
    _el(other, "SteeringType", "1")
    _el(msg, "DocumentId", document_id)
    trace = _el(head, "TraceHeaderList")
    hop = _el(trace, "TraceHeader")
    _el(hop, "OrganId", organ_id)
    _el(hop, "Timestamp", "2026/02/02 10:00:00")
    bus = _el(trace, "Bussiness")
    _el(bus, "BussinessDocType", business)
    _el(bus, "BussinessDocReason", reason)
    if replaces:
        info = _el(_el(bus, "ReplacementInfoList"), "ReplacementInfo")
        _el(info, "DocumentId", replaces)
    manifest = _el(root, "edXMLManifest")
    encoded = _el(root, "AttachmentEncoded")
    for name, data in attachments:
        ref = _el(manifest, "Reference")
        _el(ref, "AttachmentName", name)
        att = _el(encoded, "Attachment")
        _el(att, "ContentId", name)
        _el(att, "AttachmentName", name)
        _el(att, "ContentTransferEncoded", "base64")
        _el(att, "Value", data if isinstance(data, str) else base64.b64encode(data).decode())
    for name in drop:
        for parent in root.iter():
            for child in list(parent):
                if child.tag == f"{{{NS}}}{name}":
                    parent.remove(child)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def upload_package(client: Client, content: bytes, name="goi.xml"):
    """Post an edXML package to the exchange page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/edxml/", {"file": SimpleUploadedFile(name, content, "application/xml")})


def task_body(registry, content: str, deadline: str = "31/03/2026", **extra) -> dict:
    """The body of `POST /directives/{id}/tasks`: a task led by Sở Xây dựng with Sở Tài chính coordinating."""
    return {
        "content": content,
        "lead_unit": registry["SXD"].pk,
        "coordinating_units": [registry["STC"].pk],
        "deadline": deadline,
        **extra,
    }


class ApiClient:
    """A test client that sends `Authorization: Bearer <token>` and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            "/api/v1" + path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )
