"""What the OpenAPI schema must say that drf-spectacular does not work out by itself."""


def refuse_unknown_fields(result, generator, request, public):
    """Request bodies refuse unknown fields (bestqm.api.strict_input); say so in the schema,
    so clients and fuzzers know an extra key is an error, not something ignored."""
    components = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                ref = media.get("schema", {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                if name in components:
                    components[name]["additionalProperties"] = False
    return result


ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error shape of the whole API (bestqm.api.errors).",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "description": "stable, for programs"},
                "message": {"type": "string", "description": "for people"},
                "fields": {
                    "type": "object",
                    "description": "validation only: each offending field, by its dotted "
                    "path, and its messages",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
_ERRORS = {
    "400": "The request is malformed or has invalid fields (`fields` names them).",
    "401": "No credentials where they are needed, or a wrong or expired token.",
    "403": "Signed in, but not allowed.",
    "404": "No such thing, or not yours.",
    "409": "A step the record's current state does not allow (the workflow's own code).",
    "413": "The body is over its limit (refused before it is read).",
    "429": "Too many requests, or too many wrong passwords; `Retry-After` says when to try again.",
}
_WRITES = {"post", "put", "patch", "delete"}


def _errors_of(path: str, method: str, operation: dict) -> list[str]:
    has_body = "requestBody" in operation
    parameters = operation.get("parameters", [])
    anonymous = {} in operation.get("security", [{}])
    statuses = ["401", "429"]
    if has_body or parameters:
        statuses.append("400")
    if not anonymous:
        statuses.append("403")
    if "{" in path:
        statuses.append("404")
    if method in _WRITES:
        statuses.append("409")
    if has_body:
        statuses.append("413")
    return sorted(statuses)


def document_error_responses(result, generator, request, public):
    """Every operation documents the error answers it can give, each with the one error
    schema, so clients (and schemathesis) know 4xx bodies as well as 2xx ones."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            # Those the rule below gives every operation, and those a view declares itself
            # (the member's own profile is a 404 until there is one).
            declared = [status for status in responses if status.startswith("4")]
            for status in sorted({*_errors_of(path, method, operation), *declared}):
                answer = responses.setdefault(status, {})
                if answer.get("description") in (None, "", "No response body"):
                    answer["description"] = _ERRORS[status]
                answer["content"] = reference
                if status == "429":
                    answer.setdefault(
                        "headers",
                        {
                            "Retry-After": {
                                "schema": {"type": "integer"},
                                "description": "seconds to wait",
                            }
                        },
                    )
    return result


def empty_filter_means_any(result, generator, request, public):
    """A filter left empty (`?gender=`, as the directory's own search form sends it) means
    "any", as django-filter reads it: the schema says so, by allowing "" beside the
    choices of every query parameter that has choices."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and "enum" in schema and "" not in schema["enum"]:
                    parameter["schema"] = {**schema, "enum": [*schema["enum"], ""]}
                    parameter["description"] = (
                        parameter.get("description", "") + " Empty: any."
                    ).strip()
    return result
