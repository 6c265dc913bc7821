# Schemathesis hooks for `npm run conformance` (SCHEMATHESIS_HOOKS points here).
#
# JSON Schema cannot state constraints between the items of a body, so the
# OpenAPI document states them as extensions, and these hooks teach them to the
# fuzzer: a generated body that breaks one is mended to keep it (filtering would
# reject most bodies and trip Hypothesis's health checks):
#   x-unique-by: <property>       no two items of the array share the property
#   x-unique-ignore-case: true    ... compared without case
#   x-sorted-by: <property>       items in ascending order of that date-time
#   x-one-of-values-at: <pointer> the value is one of those at the pointer in the
#                                 same body (`*`: every item of an array)
#   x-range-end: <parameter>      (on a day parameter) the day is at most that
#   x-range-max-days: <n>         parameter's, the range at most n days long
# One thing is not a property of the document but of this machine: a webhook URL
# must resolve (the server checks at creation), and here there is no DNS. The
# server under test allows private targets (WEBHOOK_ALLOW_PRIVATE), so hosts
# become the loopback address, keeping the rest of the generated URL.

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit
import ipaddress
import json

import schemathesis


def _body_schema(ctx):
    operation = getattr(ctx, "operation", None)
    if operation is None:
        return None
    raw = operation.definition.raw
    content = (raw.get("requestBody") or {}).get("content") or {}
    return (content.get("application/json") or {}).get("schema")


def _values_at(root, pointer):
    found = [root]
    for part in [p for p in pointer.split("/") if p]:
        step = []
        for value in found:
            if part == "*" and isinstance(value, list):
                step.extend(value)
            elif isinstance(value, dict) and part in value:
                step.append(value[part])
        found = step
    return [v for v in found if isinstance(v, (str, int, float))]


def _instant(value):
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("-inf")


def _mend(value, schema, root):
    if not isinstance(schema, dict):
        return value
    if isinstance(value, list):
        items = schema.get("items")
        value = [_mend(item, items, root) for item in value]
        unique = schema.get("x-unique-by")
        if unique:
            seen, kept = set(), []
            for item in value:
                key = item.get(unique) if isinstance(item, dict) else None
                if isinstance(key, str) and schema.get("x-unique-ignore-case"):
                    key = key.lower()
                elif key is not None and not isinstance(key, (str, int, float, bool)):
                    # A negative case may put any JSON there.
                    key = json.dumps(key, sort_keys=True)
                if key is not None and key in seen:
                    continue
                seen.add(key)
                kept.append(item)
            value = kept
        order = schema.get("x-sorted-by")
        if order:
            value = sorted(value, key=lambda item: _instant(item.get(order)) if isinstance(item, dict) else 0)
        return value
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        return {key: _mend(item, properties.get(key), root) for key, item in value.items()}
    pointer = schema.get("x-one-of-values-at")
    if pointer:
        allowed = _values_at(root, pointer)
        if allowed and isinstance(value, str) and value not in allowed:
            return allowed[0]
    return value


def _loopback_host(url):
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            ipaddress.ip_address(host)
            return url
        except ValueError:
            pass
        netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:
        return url


def _mend_ranges(ctx, query):
    for parameter in ctx.operation.definition.raw.get("parameters") or []:
        schema = parameter.get("schema") or {}
        end = schema.get("x-range-end")
        start = parameter.get("name")
        if not end or start not in query or end not in query:
            continue
        try:
            first, last = date.fromisoformat(str(query[start])), date.fromisoformat(str(query[end]))
        except ValueError:
            continue
        if first > last:
            first, last = last, first
        longest = timedelta(days=int(schema.get("x-range-max-days", 1)) - 1)
        if last - first > longest:
            first = last - longest
        query[start], query[end] = first.isoformat(), last.isoformat()


# On the whole case rather than the body: the coverage phase applies only case hooks.
@schemathesis.hook
def map_case(ctx, case):
    if isinstance(case.query, dict):
        _mend_ranges(ctx, case.query)
    schema = _body_schema(ctx)
    body = case.body
    if not isinstance(body, dict) or schema is None:
        return case
    # Pointers name places in the body as the fuzzer drew it, before any mending.
    body = _mend(body, schema, body)
    if "/webhooks" in ctx.operation.path and isinstance(body.get("url"), str):
        body["url"] = _loopback_host(body["url"])
    case.body = body
    return case
