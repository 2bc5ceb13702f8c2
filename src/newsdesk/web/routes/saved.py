"""Saved searches from the search page: save one, remove one."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response

from newsdesk.store import searches
from newsdesk.web.auth import form_writer
from newsdesk.web.render import redirect, translator
from newsdesk.web.state import RecordId, valid_language, web_state

router = APIRouter(include_in_schema=False)


@router.post("/search/saved", dependencies=[Depends(form_writer)])
def save(
    request: Request,
    q: str = Form(...),
    name: str = Form(""),
    language: str = Form(""),
    outlet: str = Form(""),
) -> Response:
    if not q.strip():
        raise HTTPException(400, translator(request).gettext("nothing to save: the query is empty"))
    with web_state(request).store.session() as session:
        searches.save_search(
            session,
            (name or q).strip()[:255],
            q.strip(),
            datetime.now(UTC),
            valid_language(language),
            outlet or None,
        )
    params = {key: value for key, value in {"q": q, "language": language, "outlet": outlet}.items() if value}
    return redirect("/search?" + urlencode(params))


@router.post("/search/saved/{search_id}/delete", dependencies=[Depends(form_writer)])
def remove(request: Request, search_id: RecordId) -> Response:
    with web_state(request).store.session() as session:
        if not searches.remove_search(session, search_id):
            message = translator(request).gettext("no saved search #%(id)d")
            raise HTTPException(404, message % {"id": search_id})
    return redirect("/search")
