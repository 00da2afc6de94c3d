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
