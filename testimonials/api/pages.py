"""/api/: the OpenAPI document as a readable page, rendered on the server (no script).

The document's own words are English (it is the API's reference); the page around them, its
headings and table labels, follow the site's language.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import render_template
from markupsafe import Markup, escape

from testimonials.api import bp, openapi
from testimonials.api.problems import TYPES

# The document's descriptions mark names and values as `code`, as CommonMark does.
_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """The text escaped, its `backticked` runs as <code> (the only markup the document uses)."""
    parts = _CODE_SPAN.split(text)
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if odd else escape(part)
        for odd, part in ((index % 2 == 1, part) for index, part in enumerate(parts)))


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "allOf" in schema or "oneOf" in schema:
        return " | ".join(_type_of(part) for part in schema.get("allOf") or schema["oneOf"])
    kind = schema.get("type", "object")
    text = kind if isinstance(kind, str) else " | ".join(kind)
    if kind == "array" or (isinstance(kind, list) and "array" in kind):
        text += f" of {_type_of(schema.get('items', {}))}"
    if "enum" in schema:
        text += ": " + ", ".join(json.dumps(value) for value in schema["enum"])
    return text


def _example(value: dict[str, Any]) -> str:
    if "examples" in value:
        return json.dumps(value["examples"][0], ensure_ascii=False)
    if "example" in value:
        return json.dumps(value["example"], ensure_ascii=False)
    return ""


def view_model(document: dict[str, Any]) -> dict[str, Any]:
    """Plain rows for the template: operations, schemas and problem types."""
    operations = []
    for path, item in document["paths"].items():
        operation = item["get"]
        operations.append({
            "id": operation["operationId"], "path": path, "summary": operation["summary"],
            "description": code_spans(operation.get("description", "")),
            "parameters": [(p["name"], p["in"], _type_of(p["schema"]),
                            code_spans(p.get("description", "")), _example(p))
                           for p in operation.get("parameters", [])],
            "responses": [(status, code_spans(answer["description"]),
                           ", ".join(answer.get("content", {})))
                          for status, answer in operation["responses"].items()],
        })
    schemas = [(name, code_spans(schema.get("description", "")),
                [(prop_name, _type_of(prop), code_spans(prop.get("description", "")),
                  _example(prop))
                 for prop_name, prop in schema.get("properties", {}).items()])
               for name, schema in document["components"]["schemas"].items()]
    problems = [(problem.slug, problem.status, problem.title, code_spans(problem.description))
                for problem in TYPES.values()]
    info = {**document["info"], "description": code_spans(document["info"].get("description", ""))}
    return {"info": info, "operations": operations, "schemas": schemas,
            "problems": problems}


@bp.get("/")
def index() -> str:
    return render_template("api/index.html", **view_model(openapi.built()))
