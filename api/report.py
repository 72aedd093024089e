"""The district profile report: ``/report?area=KATO&lang=kk|ru|en&year=&format=docx|pdf``.

A Word document (python-docx) or a PDF (the report's HTML printed by headless Chromium, as
a deck's PDF export is). Bad parameters answer 400 with a JSON message naming the parameter.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, Response, jsonify, request

from views import report as rep
from views.report_meta import pdf_properties

log = logging.getLogger(__name__)

blueprint = Blueprint("report", __name__)

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render(report: rep.Report, fmt: str) -> bytes:
    """The report as ``docx`` or ``pdf`` bytes."""
    if fmt == "docx":
        return rep.to_docx(report)
    from api.present_pdf import render_pdf

    document = rep.to_html(report)
    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread with no event loop
        pdf = pool.submit(render_pdf, document, width="210mm", height="297mm", ready=None).result()
    return pdf_properties(pdf, report.title, report.lang, report.made)


def _error(status: int, message: str, parameter: str | None = None) -> tuple[Response, int]:
    body = {"error": message, "status": status} | ({"parameter": parameter} if parameter else {})
    return jsonify(body), status


@blueprint.get("/report")
def profile() -> Response | tuple[Response, int]:
    """One area's profile as .docx or .pdf."""
    from api.present_pdf import PdfUnavailable

    try:
        kato, lang, year, fmt = rep.parse(request.args.to_dict())
        report = rep.build(kato, lang, year)
    except rep.ReportError as exc:
        return _error(400, f"bad parameter {exc.name!r}: {exc.message}", exc.name)
    try:
        body = render(report, fmt)
    except PdfUnavailable as exc:
        log.warning("report: PDF unavailable: %s", exc)
        return _error(
            503, "PDF export is unavailable on this server (no Chromium); use format=docx"
        )
    resp = Response(body, mimetype=MEDIA_TYPES[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="{rep.filename(report, fmt)}"'
    return resp
