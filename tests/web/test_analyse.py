"""The analyse page and /api/analyse, and what keeps them safe: CSRF, origin, token, size."""

from __future__ import annotations

from starlette.testclient import TestClient
from web_helpers import STORIES, csrf_of, svgs

from ficlens.web import create_app
from ficlens.web.security import MAX_UPLOAD_BYTES, is_loopback

TEA = (STORIES / "harbour_lights_tea.txt").read_text(encoding="utf-8")


def test_the_form_carries_a_csrf_token(bare_client: TestClient) -> None:
    page = bare_client.get("/analyse")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert 'type="file"' in page.text and "<textarea" in page.text
    csrf_of(bare_client)


def test_pasted_story_gets_its_analysis(bare_client: TestClient) -> None:
    csrf = csrf_of(bare_client)
    page = bare_client.post("/analyse", data={"text": TEA, "csrf": csrf})
    assert page.status_code == 200
    text = page.text
    # The title is shown escaped, never as markup.
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#34;lighthouse&#34;)&lt;/script&gt;" in text
    charts = svgs(text)
    assert len(charts) == 3  # network, arc, dialogue share
    labels = [chart.get("aria-label") or "" for chart in charts]
    assert labels[0] == "Character network"
    assert labels[1].startswith("Emotional arc")
    assert labels[2] == "Dialogue share per character"
    assert "Wren Halloway" in text and "Tobias" in text
    assert "not stored" in text


def test_uploaded_file_is_read_by_content(bare_client: TestClient) -> None:
    csrf = csrf_of(bare_client)
    page = bare_client.post(
        "/analyse",
        data={"csrf": csrf},
        files={"file": ("starfall.txt", (STORIES / "starfall_exam.txt").read_bytes())},
    )
    assert page.status_code == 200
    assert "The Starfall Examination" in page.text
    assert "Juniper Vale" in page.text


def test_a_bad_upload_names_the_file_and_the_problem(bare_client: TestClient) -> None:
    csrf = csrf_of(bare_client)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    page = bare_client.post(
        "/analyse", data={"csrf": csrf}, files={"file": ("cover.png", png, "image/png")}
    )
    assert page.status_code == 400
    assert 'role="alert">cover.png: ' in page.text
    assert "Traceback" not in page.text


def test_nothing_pasted_is_a_clear_error(bare_client: TestClient) -> None:
    csrf = csrf_of(bare_client)
    page = bare_client.post("/analyse", data={"text": "   ", "csrf": csrf})
    assert page.status_code == 400
    assert "paste a story or choose a file first" in page.text


def test_a_post_without_the_csrf_field_is_refused(bare_client: TestClient) -> None:
    csrf_of(bare_client)
    page = bare_client.post("/analyse", data={"text": TEA})
    assert page.status_code == 403
    assert "reload the page" in page.text


def test_a_post_from_another_site_is_refused(bare_client: TestClient) -> None:
    csrf = csrf_of(bare_client)
    page = bare_client.post(
        "/analyse",
        data={"text": TEA, "csrf": csrf},
        headers={"Origin": "http://evil.example"},
    )
    assert page.status_code == 403
    api = bare_client.post(
        "/api/analyse", content=TEA.encode(), headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert api.status_code == 403
    assert "cross-site" in api.json()["error"]


def test_uploads_over_the_limit_are_refused_with_a_clear_error(bare_client: TestClient) -> None:
    assert MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    too_big = b"a" * (MAX_UPLOAD_BYTES + 1)
    api = bare_client.post("/api/analyse", content=too_big)
    assert api.status_code == 413
    assert api.json() == {"error": "the upload is over the 20 MB limit"}
    csrf = csrf_of(bare_client)
    page = bare_client.post(
        "/analyse", data={"csrf": csrf}, files={"file": ("huge.txt", too_big, "text/plain")}
    )
    assert page.status_code == 413
    assert "over the 20 MB limit" in page.text


def test_a_chunked_body_is_counted_too(tmp_path) -> None:
    app = create_app(str(tmp_path / "lib.sqlite3"), max_upload=1000)
    with TestClient(app) as client:

        def chunks():
            for _ in range(5):
                yield b"x" * 400

        response = client.post("/api/analyse", content=chunks())
        assert response.status_code == 413
        assert client.post("/api/analyse", content=b"x" * 999).status_code != 413


def test_api_analyse_takes_raw_text_json_and_multipart(bare_client: TestClient) -> None:
    raw = bare_client.post("/api/analyse?filename=tea.txt", content=TEA.encode())
    assert raw.status_code == 200
    analysis = raw.json()["analysis"]
    assert analysis["source"]["path"] == "tea.txt"
    assert analysis["work"]["declared"]["fandoms"] == ["Harbour Lights"]
    assert analysis["text"] is None
    names = {c["name"] for c in analysis["characters"]}
    assert {"Wren Halloway", "Tobias"} <= names

    as_json = bare_client.post("/api/analyse?text=1", json={"text": TEA})
    assert as_json.status_code == 200
    assert as_json.json()["analysis"]["text"] == TEA

    form = bare_client.post(
        "/api/analyse", files={"file": ("s.txt", (STORIES / "starfall_exam.txt").read_bytes())}
    )
    assert form.json()["analysis"]["work"]["title"] == "The Starfall Examination"


def test_api_analyse_errors_are_json(bare_client: TestClient) -> None:
    empty = bare_client.post("/api/analyse", content=b"")
    assert empty.status_code == 400
    assert empty.json() == {"error": "the request body: empty file"}
    broken = bare_client.post(
        "/api/analyse", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json()["error"].startswith("the body is not valid JSON")
    wrong = bare_client.post("/api/analyse", json={"story": "x"})
    assert wrong.status_code == 400


def test_writes_need_the_token_when_one_is_set(tmp_path) -> None:
    app = create_app(str(tmp_path / "lib.sqlite3"), token="s3cret-token")
    with TestClient(app) as client:
        refused = client.post("/api/analyse", content=TEA.encode())
        assert refused.status_code == 403
        assert "token" in refused.json()["error"]
        allowed = client.post(
            "/api/analyse",
            content=TEA.encode(),
            headers={"Authorization": "Bearer s3cret-token"},
        )
        assert allowed.status_code == 200
        # The form asks for the token and refuses a post without it.
        form = client.get("/analyse")
        assert 'name="token"' in form.text
        csrf = client.cookies.get("ficlens_csrf")
        assert client.post("/analyse", data={"text": TEA, "csrf": csrf}).status_code == 403
        # Opening a page with ?token= sets it as a cookie and drops it from the address.
        wrong = client.get("/analyse?token=guess", follow_redirects=False)
        assert wrong.status_code == 403
        login = client.get("/analyse?token=s3cret-token&x=1", follow_redirects=False)
        assert login.status_code == 303
        assert login.headers["location"] == "/analyse?x=1"
        assert client.cookies.get("ficlens_token") == "s3cret-token"
        assert client.post("/analyse", data={"text": TEA, "csrf": csrf}).status_code == 200


def test_no_token_is_needed_on_loopback_only() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.168.1.20")
    assert not is_loopback("example.org")


def test_the_api_is_described_offline(bare_client: TestClient) -> None:
    schema = bare_client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/works", "/api/works/{work_id}", "/api/search", "/api/analyse"} <= set(
        schema["paths"]
    )
    page = bare_client.get("/api/")
    assert page.status_code == 200
    for path in schema["paths"]:
        assert path in page.text
    # Nothing is fetched from elsewhere: every script and stylesheet is ficlens's own.
    assert "http://" not in page.text.split("<main>")[0]
    assert "https://" not in page.text.split("<main>")[0]
    assert bare_client.get("/static/style.css").status_code == 200
    assert bare_client.get("/static/app.js").status_code == 200
    analysis_schema = bare_client.get("/api/schema.json").json()
    assert analysis_schema["$id"] == "ficlens/analysis/1"


def test_unknown_pages_are_404_pages(bare_client: TestClient) -> None:
    page = bare_client.get("/no/such/page")
    assert page.status_code == 404
    assert "<h1>Not found</h1>" in page.text
    api = bare_client.get("/api/nothing")
    assert api.status_code == 404
    assert "error" in api.json()


def test_pages_forbid_scripts_from_elsewhere(bare_client: TestClient) -> None:
    for path in ("/analyse", "/api/openapi.json", "/static/style.css", "/nowhere"):
        headers = bare_client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
