"""IATI 2.03 output, checked against the official schema vendored in mirps/cooperation/schemas.

With lxml installed the file is validated by the XSD itself. Without it (lxml is not a project
dependency) the same XSD files drive a structural check: for every element, its children's
order and cardinality (xsd:sequence, minOccurs/maxOccurs) and its required attributes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from mirps.cooperation import iati, services
from mirps.cooperation.models import Intervention
from mirps.cooperation.tests.conftest import actor, make_iv

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "iati-2.03"
XS = "{http://www.w3.org/2001/XMLSchema}"


class Xsd:
    """The subset of XML Schema the IATI activity schema uses for structure."""

    def __init__(self) -> None:
        self.elements: dict[str, ET.Element] = {}
        self.types: dict[str, ET.Element] = {}
        for name in ("iati-common.xsd", "iati-activities-schema.xsd"):
            root = ET.parse(SCHEMAS / name).getroot()  # noqa: S314 — the vendored schema
            for el in root.findall(f"{XS}element"):
                self.elements[el.get("name")] = el
            for ct in root.findall(f"{XS}complexType"):
                self.types[ct.get("name")] = ct

    def complex_type(self, decl: ET.Element) -> ET.Element | None:
        if decl.get("ref"):
            decl = self.elements[decl.get("ref")]
        ct = decl.find(f"{XS}complexType")
        if ct is None and decl.get("type") in self.types:
            ct = self.types[decl.get("type")]
        return ct

    def _walk(self, node: ET.Element):
        """Children of a complex type, not descending into nested element declarations."""
        for child in node:
            yield child
            if child.tag != f"{XS}element":
                yield from self._walk(child)

    def model(self, ct: ET.Element) -> tuple[list[tuple[str, ET.Element, int, float]], set[str]]:
        seq: list[tuple[str, ET.Element, int, float]] = []
        required: set[str] = set()
        for node in self._walk(ct):
            if node.tag == f"{XS}extension" and node.get("base") in self.types:
                s, r = self.model(self.types[node.get("base")])
                seq += s
                required |= r
            if node.tag == f"{XS}attribute" and node.get("use") == "required":
                required.add(node.get("name") or node.get("ref"))
        first = next((n for n in self._walk(ct) if n.tag == f"{XS}sequence"), None)
        if first is not None:
            for el in first.findall(f"{XS}element"):
                name = el.get("name") or el.get("ref")
                mx = el.get("maxOccurs", "1")
                seq.append((name, el, int(el.get("minOccurs", "1")), float("inf") if mx == "unbounded" else int(mx)))
        return seq, required

    def check(self, inst: ET.Element, decl: ET.Element, path: str, errors: list[str]) -> None:
        ct = self.complex_type(decl)
        if ct is None:
            return
        seq, required = self.model(ct)
        for attr in required:
            key = "{http://www.w3.org/XML/1998/namespace}lang" if attr == "xml:lang" else attr
            if key not in inst.attrib:
                errors.append(f"{path}: missing attribute {attr}")
        children = [c for c in inst if not c.tag.startswith("{")]
        i = 0
        for name, el, lo, hi in seq:
            n = 0
            while i < len(children) and children[i].tag == name:
                self.check(children[i], el, f"{path}/{name}", errors)
                i += 1
                n += 1
            if n < lo or n > hi:
                errors.append(f"{path}/{name}: {n} occurrences, allowed {lo}..{hi}")
        if seq and i < len(children):
            errors.append(f"{path}: unexpected or out-of-order <{children[i].tag}>")


def structural_errors(doc: bytes) -> list[str]:
    xsd = Xsd()
    root = ET.fromstring(doc)  # noqa: S314 — our own output
    assert root.tag == "iati-activities"
    errors: list[str] = []
    xsd.check(root, xsd.elements["iati-activities"], "iati-activities", errors)
    return errors


@pytest.fixture
def doc(coop, plan) -> bytes:
    p01 = plan.commitments.get(code="P01")
    make_iv(coop.partner, code="A-1", commitments=[p01.pk], funders=["ue", "suecia"], municipalities=["HN0501", "HN0801"])
    make_iv(coop.partner, code="A-2", status="completed", end=date(2023, 6, 1), funders=[])
    make_iv(coop.partner, code="A-3", status="planned", end=None, sector="cash", title="<b>HTML</b> & más")
    make_iv(coop.partner, code="A-4", status="suspended")
    a = actor(coop.coord)
    kw = {"partner": "ue", "commitment": p01, "currency": "EUR"}
    services.pledge_create(actor=a, state="committed", amount=Decimal("100"), date=date(2023, 1, 1), **kw)
    services.pledge_create(actor=a, state="disbursed", amount=Decimal("50"), date=date(2023, 2, 1), **kw)
    services.pledge_create(actor=a, state="pledged", amount=Decimal("70"), date=date(2023, 2, 1), **kw)
    services.pledge_create(actor=a, partner="bid", commitment=p01, state="disbursed", currency="USD", amount=Decimal("9"), date=date(2023, 2, 1))
    return iati.export(actor=a, qs=Intervention.objects.all(), published_only=False)


def test_structure_follows_official_schema(doc):
    assert structural_errors(doc) == []


def test_validator_catches_errors(doc):
    root = ET.fromstring(doc)  # noqa: S314 — our own output
    act = root.find("iati-activity")
    act.remove(act.find("reporting-org"))
    status = act.find("activity-status")
    act.remove(status)
    act.append(status)  # out of order
    del act.find("recipient-country").attrib["code"]
    errors = structural_errors(ET.tostring(root))
    assert any("reporting-org: 0 occurrences" in e for e in errors)
    assert any("out-of-order" in e for e in errors)
    assert any("recipient-country: missing attribute code" in e for e in errors)


def test_full_xsd_validation_with_lxml(doc):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "iati-activities-schema.xsd")))
    assert schema.validate(etree.fromstring(doc)), schema.error_log


def test_content(doc):
    root = ET.fromstring(doc)  # noqa: S314 — our own output
    assert root.get("version") == "2.03"
    acts = {a.findtext("iati-identifier"): a for a in root.findall("iati-activity")}
    assert set(acts) == {"XM-MIRPS-HN-A-1", "XM-MIRPS-HN-A-2", "XM-MIRPS-HN-A-3", "XM-MIRPS-HN-A-4"}
    a1 = acts["XM-MIRPS-HN-A-1"]
    roles = sorted((p.get("role"), p.get("ref")) for p in a1.findall("participating-org"))
    assert roles == [("1", "XM-MIRPS-suecia"), ("1", "XM-MIRPS-ue"), ("2", "XM-MIRPS-sreci-dgphm"), ("4", "XM-MIRPS-acnur")]
    assert a1.find("activity-status").get("code") == "2"
    assert [d.get("type") for d in a1.findall("activity-date")] == ["1", "2", "3"]
    assert a1.find("recipient-country").attrib == {"code": "HN", "percentage": "100"}
    assert [loc.get("ref") for loc in a1.findall("location")] == ["HN0501", "HN0801"]
    assert [(s.get("vocabulary"), s.get("code")) for s in a1.findall("sector")] == [("1", "15160"), ("99", "protection")]
    assert a1.find("budget/value").text == "1000.00"
    # EUR 100 committed (type 2) and EUR 50 disbursed (type 3) from ue, a funder; the pledge only
    # promised and bid's disbursement (bid does not fund A-1) are not transactions of A-1.
    tx = [(t.find("transaction-type").get("code"), t.find("value").text) for t in a1.findall("transaction")]
    assert tx == [("2", "113.00"), ("3", "56.50")]
    assert acts["XM-MIRPS-HN-A-2"].find("activity-status").get("code") == "4"
    assert [d.get("type") for d in acts["XM-MIRPS-HN-A-2"].findall("activity-date")] == ["1", "2", "3", "4"]
    assert acts["XM-MIRPS-HN-A-3"].find("activity-status").get("code") == "1"
    assert acts["XM-MIRPS-HN-A-3"].findtext("title/narrative") == "<b>HTML</b> & más"
    assert acts["XM-MIRPS-HN-A-4"].find("activity-status").get("code") == "6"
