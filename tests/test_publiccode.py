"""publiccode.yml against the rules of the publiccode.yml standard, version 0.4 (publiccodeyml/
publiccode.yml, docs/standard/schema.core.rst with categories-list.rst and scope-list.rst): keys,
types, presence, enumerations, lengths, dates, the SPDX licence, and the project's own rules
(a description in Dutch and English, EUPL-1.2 with its full text in LICENSE).

`problems(document)` lists what is wrong; the tests show it finds each kind of mistake."""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPDX_IDS = set(json.loads((ROOT / "tests" / "publiccode" / "spdx-license-ids.json").read_text(encoding="utf-8")))

VERSIONS = {"0.4", "0.4.0"}
TOP_LEVEL = {"publiccodeYmlVersion", "name", "applicationSuite", "url", "landingURL", "isBasedOn", "softwareVersion",
             "releaseDate", "logo", "monochromeLogo", "inputTypes", "outputTypes", "platforms", "categories", "usedBy",
             "roadmap", "developmentStatus", "softwareType", "intendedAudience", "description", "legal",
             "maintenance", "localisation", "dependsOn", "it"}
REQUIRED = ("publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus", "softwareType",
            "description", "legal", "maintenance", "localisation")
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPE = {"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web", "standalone/backend",
                 "standalone/other", "addon", "library", "configurationFiles"}
MAINTENANCE_TYPE = {"internal", "contract", "community", "none"}
CATEGORIES = set("""accounting agile-project-management applicant-tracking application-development
appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence business-process-management
cad call-center-management cloud-management collaboration communications compliance-management contact-management
content-management crm customer-service-and-support data-analytics data-collection data-visualization design
design-system digital-asset-management digital-citizenship document-management donor-management e-commerce
e-signature educational-content email-management email-marketing employee-management enterprise-project-management
enterprise-social-networking erp event-management facility-management feedback-and-reviews-management
financial-reporting fleet-management fundraising gamification geographic-information-systems grant-management
graphic-design help-desk hr ide identity-management instant-messaging inventory-management it-asset-management
it-development it-management it-security it-service-management knowledge-management learning-management-system
marketing mind-mapping mobile-marketing mobile-payment network-management office online-booking online-community
payment-gateway payroll predictive-analysis procurement productivity-suite project-collaboration project-management
property-management real-estate-management remote-support resource-management sales-management seo service-desk
social-media-management survey talent-management task-management taxes-management test-management time-management
time-tracking translation video-conferencing video-editing visitor-management voip warehouse-management
web-collaboration web-conferencing website-builder whistleblowing workflow-management""".split())
SCOPES = set("""agriculture culture defence education emergency-services employment energy environment
finance-and-economic-development foreign-affairs healthcare infrastructures justice local-authorities manufacturing
research science-and-technology security society sport tourism transportation welfare""".split())
DESCRIPTION_KEYS = {"localisedName", "genericName", "shortDescription", "longDescription", "documentation",
                    "apiDocumentation", "features", "screenshots", "videos", "awards"}
BCP47 = re.compile(r"[a-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8}|-[0-9][A-Za-z0-9]{3})*")
URL = re.compile(r"https?://[^\s/$.?#][^\s]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _is_date(value) -> bool:
    if isinstance(value, dt.date):  # YAML 1.1 reads an unquoted date as a date
        value = value.isoformat()
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _spdx_problems(expression) -> list[str]:
    if not isinstance(expression, str) or not expression.strip():
        return ["legal.license: een SPDX-expressie is verplicht"]
    tokens = re.findall(r"\(|\)|[^\s()]+", expression)
    problems = []
    for token in tokens:
        if token in ("(", ")", "AND", "OR"):
            continue
        if token == "WITH":
            problems.append("legal.license: WITH-uitzonderingen controleert deze test niet")
        elif token.rstrip("+") not in SPDX_IDS and not token.startswith("LicenseRef-"):
            problems.append(f"legal.license: {token!r} is geen SPDX-licentie")
    return problems


def problems(doc) -> list[str]:
    if not isinstance(doc, dict):
        return ["het bestand is geen YAML-mapping"]
    found = [f"onbekende sleutel {key!r}" for key in doc if key not in TOP_LEVEL]
    found += [f"{key} ontbreekt" for key in REQUIRED if key not in doc]
    text = lambda key: isinstance(doc.get(key), str) and doc[key].strip() != ""  # noqa: E731
    if "publiccodeYmlVersion" in doc and doc["publiccodeYmlVersion"] not in VERSIONS:
        found.append("publiccodeYmlVersion: moet de string \"0.4\" zijn")
    if "name" in doc and not text("name"):
        found.append("name: een niet-lege string")
    for key in ("url", "landingURL", "roadmap"):
        if key in doc and not (isinstance(doc[key], str) and URL.fullmatch(doc[key])):
            found.append(f"{key}: een URL")
    if "softwareVersion" in doc and not isinstance(doc["softwareVersion"], str):
        found.append("softwareVersion: een string")
    if "releaseDate" in doc and not _is_date(doc["releaseDate"]):
        found.append("releaseDate: een datum JJJJ-MM-DD")
    platforms = doc.get("platforms")
    if "platforms" in doc and not (isinstance(platforms, str) or (isinstance(platforms, list) and platforms
                                                                  and all(isinstance(p, str) for p in platforms))):
        found.append("platforms: een of meer strings")
    categories = doc.get("categories")
    if "categories" in doc:
        if not (isinstance(categories, list) and categories):
            found.append("categories: een niet-lege lijst")
        else:
            found += [f"categories: {c!r} staat niet in de lijst van de standaard" for c in categories if c not in CATEGORIES]
    if "developmentStatus" in doc and doc["developmentStatus"] not in DEVELOPMENT_STATUS:
        found.append(f"developmentStatus: een van {sorted(DEVELOPMENT_STATUS)}")
    if "softwareType" in doc and doc["softwareType"] not in SOFTWARE_TYPE:
        found.append(f"softwareType: een van {sorted(SOFTWARE_TYPE)}")
    found += _audience_problems(doc.get("intendedAudience"))
    found += _description_problems(doc.get("description")) if "description" in doc else []
    legal = doc.get("legal")
    if "legal" in doc:
        found += _spdx_problems(legal.get("license")) if isinstance(legal, dict) else ["legal: een mapping"]
    found += _maintenance_problems(doc.get("maintenance")) if "maintenance" in doc else []
    found += _localisation_problems(doc.get("localisation")) if "localisation" in doc else []
    found += _depends_problems(doc.get("dependsOn"))
    return found


def _audience_problems(audience) -> list[str]:
    if audience is None:
        return []
    if not isinstance(audience, dict):
        return ["intendedAudience: een mapping"]
    found = []
    for key in ("countries", "unsupportedCountries"):
        for country in audience.get(key) or []:
            if not (isinstance(country, str) and re.fullmatch(r"[a-z]{2}", country)):
                found.append(f"intendedAudience.{key}: {country!r} is geen ISO 3166-1-code in kleine letters")
    found += [f"intendedAudience.scope: {s!r} staat niet in de lijst van de standaard"
              for s in audience.get("scope") or [] if s not in SCOPES]
    return found


def _description_problems(description) -> list[str]:
    if not (isinstance(description, dict) and description):
        return ["description: ten minste één taal"]
    found = []
    for lang, d in description.items():
        where = f"description.{lang}"
        if not (isinstance(lang, str) and BCP47.fullmatch(lang)):
            found.append(f"{where}: geen BCP 47-taalcode")
        if not isinstance(d, dict):
            found.append(f"{where}: een mapping")
            continue
        found += [f"{where}: onbekende sleutel {k!r}" for k in d if k not in DESCRIPTION_KEYS]
        short = d.get("shortDescription")
        if not (isinstance(short, str) and short.strip()):
            found.append(f"{where}.shortDescription ontbreekt")
        elif len(short) > 150 or "\n" in short.strip():
            found.append(f"{where}.shortDescription: één regel van hoogstens 150 tekens (nu {len(short)})")
        long = d.get("longDescription")
        if not isinstance(long, str) or not 150 <= len(long) <= 10000:
            found.append(f"{where}.longDescription: 150 tot 10000 tekens")
        features = d.get("features")
        if not (isinstance(features, list) and features and all(isinstance(f, str) and f.strip() for f in features)):
            found.append(f"{where}.features: een niet-lege lijst van strings")
        if isinstance(d.get("genericName"), str) and len(d["genericName"]) > 35:
            found.append(f"{where}.genericName: hoogstens 35 tekens")
        for key in ("documentation", "apiDocumentation"):
            if key in d and not (isinstance(d[key], str) and URL.fullmatch(d[key])):
                found.append(f"{where}.{key}: een URL")
    return found


def _maintenance_problems(maintenance) -> list[str]:
    if not isinstance(maintenance, dict):
        return ["maintenance: een mapping"]
    kind = maintenance.get("type")
    if kind not in MAINTENANCE_TYPE:
        return [f"maintenance.type: een van {sorted(MAINTENANCE_TYPE)}"]
    found = []
    if kind in ("internal", "community") and not maintenance.get("contacts"):
        found.append(f"maintenance.contacts: verplicht bij type {kind}")
    if kind == "contract" and not maintenance.get("contractors"):
        found.append("maintenance.contractors: verplicht bij type contract")
    for contact in maintenance.get("contacts") or []:
        if not (isinstance(contact, dict) and isinstance(contact.get("name"), str) and contact["name"].strip()):
            found.append("maintenance.contacts: elk contact heeft een naam")
        elif "email" in contact and not (isinstance(contact["email"], str) and EMAIL.fullmatch(contact["email"])):
            found.append("maintenance.contacts: een geldig e-mailadres")
        elif "phone" in contact and not isinstance(contact["phone"], str):
            found.append("maintenance.contacts: phone is een string")
    for contractor in maintenance.get("contractors") or []:
        if not (isinstance(contractor, dict) and contractor.get("name") and _is_date(contractor.get("until"))):
            found.append("maintenance.contractors: naam en until (JJJJ-MM-DD) verplicht")
    return found


def _localisation_problems(localisation) -> list[str]:
    if not isinstance(localisation, dict):
        return ["localisation: een mapping"]
    found = []
    if not isinstance(localisation.get("localisationReady"), bool):
        found.append("localisation.localisationReady: true of false")
    languages = localisation.get("availableLanguages")
    if not (isinstance(languages, list) and languages and all(isinstance(x, str) and BCP47.fullmatch(x)
                                                              for x in languages)):
        found.append("localisation.availableLanguages: een niet-lege lijst van BCP 47-taalcodes")
    return found


def _depends_problems(depends) -> list[str]:
    if depends is None:
        return []
    if not isinstance(depends, dict) or set(depends) - {"open", "proprietary", "hardware"}:
        return ["dependsOn: alleen open, proprietary en hardware"]
    found = []
    for kind, items in depends.items():
        for item in items or []:
            if not (isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip()):
                found.append(f"dependsOn.{kind}: elke afhankelijkheid heeft een naam")
            elif "optional" in item and not isinstance(item["optional"], bool):
                found.append(f"dependsOn.{kind}.{item['name']}: optional is true of false")
            elif any(not isinstance(item[k], str) for k in ("version", "versionMin", "versionMax") if k in item):
                found.append(f"dependsOn.{kind}.{item['name']}: versies zijn strings")
    return found


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_bytes().decode("utf-8"))  # UTF-8, as the standard asks


def test_publiccode_yml_follows_the_standard(document):
    assert problems(document) == []


def test_it_describes_the_product_in_dutch_and_english_under_the_eupl(document):
    assert {"nl", "en"} <= set(document["description"])
    assert document["legal"]["license"] == "EUPL-1.2"
    assert document["publiccodeYmlVersion"] == "0.4"
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016")
    for article in ("1.Definitions", "5.Obligations of the Licensee", "15.Applicable Law", "Appendix"):
        assert article in licence
    assert "Québec Free and Open-Source Licence" in licence and len(licence) > 12_000


def changed(document, path: str, value):
    """A copy of the document with `path` (dots; ~ removes the key) set to `value`."""
    doc = copy.deepcopy(document)
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[key]
    if value == "~":
        del node[last]
    else:
        node[last] = value
    return doc


@pytest.mark.parametrize("path, value, says", [
    ("name", "~", "name ontbreekt"),
    ("publiccodeYmlVersion", 0.4, "publiccodeYmlVersion"),
    ("url", "geen adres", "url: een URL"),
    ("releaseDate", "05-12-2026", "releaseDate"),
    ("releaseDate", "2026-02-30", "releaseDate"),
    ("platforms", [], "platforms"),
    ("categories", ["dashboards"], "'dashboards' staat niet in de lijst"),
    ("developmentStatus", "klaar", "developmentStatus"),
    ("softwareType", "web", "softwareType"),
    ("intendedAudience.countries", ["NL"], "'NL' is geen ISO 3166-1-code"),
    ("intendedAudience.scope", ["jeugd"], "'jeugd' staat niet in de lijst"),
    ("description.nl.shortDescription", "x" * 151, "hoogstens 150 tekens"),
    ("description.en.longDescription", "te kort", "150 tot 10000 tekens"),
    ("description.en.features", [], "features"),
    ("description.en.samenvatting", "x", "onbekende sleutel 'samenvatting'"),
    ("legal.license", "EUPL 1.2", "'EUPL' is geen SPDX-licentie"),
    ("legal.license", "EUPL-1.2 OR Eigen-Licentie", "'Eigen-Licentie' is geen SPDX-licentie"),
    ("maintenance.contacts", "~", "verplicht bij type internal"),
    ("maintenance.type", "contract", "contractors: verplicht"),
    ("localisation.localisationReady", "nee", "localisationReady"),
    ("localisation.availableLanguages", ["Nederlands"], "BCP 47"),
    ("dependsOn.open", [{"versionMin": "3.11"}], "heeft een naam"),
    ("extra", "x", "onbekende sleutel 'extra'"),
])
def test_the_check_finds_each_kind_of_mistake(document, path, value, says):
    doc = changed(document, path, value)
    assert any(says in problem for problem in problems(doc)), problems(doc)
