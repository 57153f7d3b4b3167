"""``/docs``: the API reference, rendered on the server from the app's own OpenAPI schema.

Why not Swagger UI: FastAPI's page loads its script and style from a CDN, and claimgraph
makes no network request at run time and runs no script it does not ship (the content
security policy forbids both). The schema at ``/openapi.json`` is the machine-readable
reference; this page is the same thing for people: every path, its methods, parameters,
request body and responses, all text escaped.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

METHODS = ("get", "post", "put", "patch", "delete")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _type_of(schema: dict[str, Any]) -> str:
    """A short type for a parameter's schema: ``integer``, ``string | null``, ``Page``."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_type_of(schema.get('items', {}))}"
    return str(schema.get("type", "any"))


def _bounds(schema: dict[str, Any]) -> str:
    parts = []
    for key, word in (("minimum", "≥"), ("maximum", "≤"), ("minLength", "length ≥"), ("maxLength", "length ≤")):
        if key in schema:
            parts.append(f"{word} {schema[key]}")
    if "default" in schema:
        parts.append(f"default {schema['default']!r}")
    if "enum" in schema:
        parts.append("one of " + ", ".join(str(v) for v in schema["enum"]))
    return "; ".join(parts)


def _operation(path: str, method: str, op: dict[str, Any]) -> list[str]:
    out = [f'<section id="{_e(op.get("operationId", path))}">',
           f"<h3><code>{_e(method.upper())} {_e(path)}</code></h3>"]
    if op.get("summary"):
        out.append(f"<p><strong>{_e(op['summary'])}</strong></p>")
    if op.get("description"):
        out.extend(f"<p>{_e(par)}</p>" for par in str(op["description"]).split("\n\n") if par.strip())
    params = op.get("parameters", [])
    if params:
        out.append("<table><thead><tr><th>parameter</th><th>in</th><th>type</th><th>required</th>"
                   "<th>limits</th><th>description</th></tr></thead><tbody>")
        for p in params:
            schema = p.get("schema", {})
            out.append(f"<tr><td><code>{_e(p['name'])}</code></td><td>{_e(p.get('in', ''))}</td>"
                       f"<td>{_e(_type_of(schema))}</td><td>{'yes' if p.get('required') else 'no'}</td>"
                       f"<td>{_e(_bounds(schema))}</td>"
                       f"<td>{_e(p.get('description') or schema.get('description') or '')}</td></tr>")
        out.append("</tbody></table>")
    body = op.get("requestBody", {}).get("content", {})
    for media, spec in body.items():
        schema = spec.get("schema", {})
        out.append(f"<p>Request body ({_e(media)}): <code>{_e(_type_of(schema))}</code></p>")
        props = schema.get("properties", {})
        if props:
            out.append("<ul>" + "".join(f"<li><code>{_e(k)}</code> ({_e(_type_of(v))}) "
                                        f"{_e(v.get('description', ''))}</li>" for k, v in props.items()) + "</ul>")
    responses = op.get("responses", {})
    if responses:
        out.append("<p>Responses: " + ", ".join(f"<code>{_e(code)}</code> {_e(r.get('description', ''))}"
                                                for code, r in responses.items()) + "</p>")
    out.append("</section>")
    return out


def render(schema: dict[str, Any]) -> str:
    """The whole reference page for an OpenAPI schema."""
    info = schema.get("info", {})
    title = f"{info.get('title', 'API')} {info.get('version', '')} — REST API"
    parts = ['<!doctype html><html lang="en"><head><meta charset="utf-8">',
             f"<title>{_e(title)}</title>", '<link rel="stylesheet" href="/static/style.css">',
             "</head><body><main>", f"<h1>{_e(title)}</h1>"]
    if info.get("description"):
        parts.append(f"<p>{_e(info['description'])}</p>")
    parts.append('<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Errors are JSON '
                 "<code>{\"error\": message, \"status\": code}</code>; lists are pages "
                 "<code>{\"items\", \"total\", \"limit\", \"offset\"}</code>.</p>")
    paths: dict[str, Any] = schema.get("paths", {})
    parts.append("<nav><ul>")
    for path, item in paths.items():
        for method in METHODS:
            if method in item:
                anchor = item[method].get("operationId", path)
                parts.append(f'<li><a href="#{_e(anchor)}"><code>{_e(method.upper())} {_e(path)}</code></a></li>')
    parts.append("</ul></nav>")
    for path, item in paths.items():
        for method in METHODS:
            if method in item:
                parts.extend(_operation(path, method, item[method]))
    parts.append("</main></body></html>")
    return "\n".join(parts)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))
