"""The error answers written into every operation of the schema (api/schema.py)."""

from drf_spectacular.generators import SchemaGenerator


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_the_errors_it_may_answer():
    missing = {}
    for path, operations in _schema()["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "403", "429"}
            if "{" in path or method != "get":
                expected.add("404")
            if method != "get":
                expected |= {"400", "409", "412"}
            if gaps := expected - set(operation["responses"]):
                missing[f"{method} {path}"] = gaps
    assert missing == {}


def test_the_errors_have_the_one_shape():
    schema = _schema()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message"]
    answer = schema["paths"]["/api/v1/problems/{id}/"]["get"]["responses"]["404"]
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
