"""The error answers every operation may give, written into the OpenAPI schema once (a
drf-spectacular postprocessing hook), in the one shape of api/errors.py: a client generated from
the schema, and Schemathesis, then know each status code an operation answers."""

ERROR = {
    "type": "object",
    "description": "错误：机器可读的代码与中文说明；数据有误时另有逐字段的 errors。",
    "properties": {
        "code": {"type": "string", "example": "not_found"},
        "message": {"type": "string", "example": "未找到该记录，或您无权查看。"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["code", "message"],
}

WHY = {
    "400": "请求的数据或查询参数有误，或业务规则不允许该操作（refused）",
    "401": "未登录，或令牌无效、已过期、已撤销",
    "403": "无权执行该操作（只读令牌不能写）",
    "404": "未找到该记录（或所指的记录），或您无权查看",
    "409": "与当前状态冲突",
    "412": "记录已被他人修改（If-Match 过期）",
    "429": "请求过于频繁（按令牌限流），见 Retry-After",
}
WRITES = {"post", "put", "patch", "delete"}


def _statuses(method: str, path: str, operation: dict) -> list[str]:
    found = ["401", "403", "429"]
    if method in WRITES or operation.get("parameters"):
        found.append("400")
    # A write names other records in its body too, and a forbidden one answers 404 as well.
    if "{" in path or method in WRITES:
        found.append("404")
    if method in WRITES:
        found += ["409", "412"]
    return found


def document_errors(result: dict, generator, request, public) -> dict:
    """Add the error answers each operation may give (keeping any it documents itself)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _statuses(method, path, operation):
                responses.setdefault(
                    status,
                    {
                        "description": WHY[status],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
