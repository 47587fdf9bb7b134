"""A learner's wallet uploaded on the plan page: an Open Badges 3.0 / CLR 2.0 file whose
achievements are matched to the catalog (:func:`pathways.standards.wallet.wallet_from_bytes`)
and become what the learner holds. The file is read in memory and forgotten: nothing is
stored. The only requests with a body the app takes are these uploads, at most
:data:`MAX_WALLET_BYTES` of file (the :class:`~pathways.web.guard.Guard` refuses a larger
body before it is read).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from pathways.web.site import MAX_HELD, Site, WebError

#: The largest wallet file taken (bytes). The CLI reads files up to the standards'
#: MAX_FILE_BYTES (32 MiB); an upload to a server without a login is held to less: a
#: wallet of a thousand badges is well under 2 MiB.
MAX_WALLET_BYTES = 2 * 1024 * 1024
#: The largest request body taken by an upload: the file and the form's few fields.
MAX_UPLOAD_BYTES = MAX_WALLET_BYTES + 64 * 1024
#: The addresses that take an upload (POST, multipart/form-data).
UPLOAD_PATHS = frozenset({"/plan/wallet", "/api/wallet"})


async def read_upload(request: Request, site: Site) -> Any:
    """The wallet of the request's ``wallet`` file field, matched to the catalog; a
    missing, empty, oversized, non-JSON file or one without achievements is a one-line
    :class:`WebError` (400, or 413 when too large)."""
    from starlette.datastructures import UploadFile

    from pathways.errors import PathwaysError
    from pathways.safetext import one_line
    from pathways.standards.wallet import wallet_from_bytes

    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise WebError("a wallet is sent as a file upload (multipart/form-data)",
                       hint="choose the file in the form, or POST it as the field 'wallet'")
    try:
        form = await request.form(max_files=1, max_fields=40)
    except Exception as exc:  # python-multipart's and Starlette's refusals of a bad body
        raise WebError(f"the upload could not be read ({type(exc).__name__})",
                       hint="send the wallet again as a file") from None
    upload = form.get("wallet")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise WebError("no wallet file was chosen",
                       hint="choose the learner's Open Badges or CLR file (JSON)")
    name = one_line(upload.filename)[:120]
    data = await upload.read(MAX_WALLET_BYTES + 1)
    await form.close()
    if len(data) > MAX_WALLET_BYTES:
        raise WebError(f"{name}: the file is larger than {MAX_WALLET_BYTES:,} bytes",
                       status=413, hint="send the learner's own badges only, or use "
                                        "`pathways route --have-file`")
    if not data.strip():
        raise WebError(f"{name}: the file is empty", hint="choose the wallet file itself")
    try:
        return wallet_from_bytes(site.catalog, data, name)
    except PathwaysError as exc:
        raise WebError(str(exc), hint="choose an Open Badges 3.0 credential, a list of "
                                      "them or a CLR 2.0 (JSON)") from None


def merge_held(have: list[str], wallet: Any) -> list[str]:
    """The held ids given, then the wallet's (once each), at most :data:`MAX_HELD`."""
    out = list(have)
    out += [cid for cid in wallet.held if cid not in out]
    if len(out) > MAX_HELD:
        raise WebError(f"the learner would hold {len(out)} credentials; a plan here holds "
                       f"at most {MAX_HELD}", status=413,
                       hint="plan it with `pathways route --have-file`")
    return out


__all__ = ["MAX_WALLET_BYTES", "MAX_UPLOAD_BYTES", "UPLOAD_PATHS", "read_upload",
           "merge_held"]
