"""The console in a real browser: sign in, the overview shows what the API returns, an alert posted through the
API appears on the live board and is closed from it, worklist rows open their records, a resident sees no
staff page, and the pages hold on a phone and on a wall display. Screenshots: artifacts/e2e/."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.conftest import DESK, PHONE, WALL

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.txt)").expect

AREAS = ("renovation", "jobs", "community", "chronic-care")
STAFF_ROUTES = ("#/overview", "#/board", "#/worklists", "#/worklists/care-follow-ups", "#/record/patient/x")


def test_sign_in_rejects_a_wrong_password_and_admits_the_right_one(open_console, shot):
    page = open_console(None)
    page.fill("#username", "admin")
    page.fill("#password", "not-the-password")
    page.click("form.login button[type=submit]")
    expect(page.locator(".form-error")).to_have_text("用户名或密码不正确")
    shot(page, "wrong-password")
    page.fill("#password", "minsheng-demo")
    page.click("form.login button[type=submit]")
    expect(page.locator("[data-testid=username]")).to_have_text("admin")
    expect(page).to_have_url(re.compile(r"#/overview$"))


def test_a_rejected_token_leads_back_to_sign_in_and_sign_out_forgets_the_session(open_console):
    page = open_console("auditor")
    expect(page.locator(".area-card[data-area=renovation]")).to_have_attribute("data-status", "ok")
    page.evaluate("""() => {
        const key = 'minsheng.console.session';
        const s = JSON.parse(sessionStorage.getItem(key));
        s.token = s.token.slice(0, -6) + 'AAAAAA';  // a signature the gateway rejects (revoked, tampered)
        sessionStorage.setItem(key, JSON.stringify(s));
    }""")
    page.reload()
    expect(page.locator("form.login")).to_be_visible()
    page.fill("#username", "auditor")
    page.fill("#password", "minsheng-demo")
    page.click("form.login button[type=submit]")
    expect(page.locator("[data-testid=username]")).to_have_text("auditor")
    page.get_by_role("button", name="退出").click()
    expect(page.locator("form.login")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0


def test_the_pure_modules_in_the_browser(open_console):
    page = open_console(None)
    result = page.evaluate(r"""async () => {
        const sse = await import('./js/sse.js');
        const events = [];
        const state = { buffer: '', event: '', data: [], lastId: '', retry: 3000 };
        // One event split across chunks, a comment (keep-alive), a two-line data field, CRLF endings.
        for (const chunk of [': hello\n\nid: 7\nevent: alert.raised\nda', 'ta: {"a":1}\r\n\r\n',
                             'data: x\ndata: y\n\nretry: 500\n']) {
            sse.parseChunk(state, chunk, (e) => events.push(e));
        }
        const format = await import('./js/format.js');
        const access = await import('./js/access.js');
        const overview = await import('./js/views/overview.js');
        return {
            events, lastId: state.lastId, retry: state.retry,
            big: [format.big(33200), format.big(1.1e9), format.big(566)],
            money: format.money(12200000000),
            percent: format.percent(0.459),
            residentHome: access.homeFor(['resident']),
            residentSeesOverview: access.canSee(['resident'], 'overview'),
            auditorActs: access.canAct(['auditor'], 'community'),
            doctorLists: access.worklistsFor(['doctor']),
            months: overview.monthWindows('2025', new Date('2026-03-05T00:00:00Z')).map((w) => [w.from, w.to]),
        };
    }""")
    assert result["events"] == [{"type": "alert.raised", "data": '{"a":1}', "id": "7"},
                                {"type": "message", "data": "x\ny", "id": "7"}]
    assert result["lastId"] == "7" and result["retry"] == 500
    assert result["big"] == ["3.32万", "11亿", "566"]
    assert result["money"] == "1.22亿元"
    assert result["percent"] == "45.9%"
    assert result["residentHome"] == "mine" and not result["residentSeesOverview"]
    assert not result["auditorActs"]
    assert result["doctorLists"] == ["care-follow-ups"]
    assert result["months"][0] == ["2025-01-01", "2025-01-31"] and result["months"][-1] == ["2025-12-01", "2025-12-31"]
    assert len(result["months"]) == 12 and ["2025-02-01", "2025-02-28"] in result["months"]


def test_the_overview_shows_the_figures_the_api_returns(open_console, platform, shot):
    page = open_console("admin")
    for area in AREAS:
        expect(page.locator(f".area-card[data-area={area}]")).to_have_attribute("data-status", "ok")
    expect(page.locator("[data-testid=trend-chronic-care] svg")).to_be_visible()
    expect(page.locator("[data-testid=trend-community] svg")).to_be_visible()
    api = platform.api("admin", "GET", "dashboard/overview").json()
    for area in AREAS:
        figures = api["areas"][area]["figures"]
        tiles = page.locator(f".area-card[data-area={area}] .tile")
        assert tiles.count() >= 4, f"{area}: too few headline figures"
        for i in range(tiles.count()):
            tile = tiles.nth(i)
            key = tile.get_attribute("data-figure").split(".", 1)[1]
            assert float(tile.get_attribute("data-value")) == figures[key], key
            text = tile.locator(".tile-value").inner_text()
            value = figures[key]
            if isinstance(value, int) and abs(value) < 10_000 and not key.endswith(("_fen", "_m2")):
                assert f"{value:,}" in text, (key, value, text)
            assert text.strip() not in ("", "—"), key
    # The charts people look at rather than read: a status bar per area at least, the trend line drawn.
    assert page.locator(".area-card .status-bar svg").count() >= 3
    assert page.locator("[data-testid=trend-chronic-care] path.stroke").count() >= 1
    shot(page, "overview-desk")


def demo_device(platform) -> str:
    """A home-safety device with no open incident (registered through the API if the demo data has none), so
    that the alert opens a fresh work order."""
    busy = {o["device_id"] for o in platform.api("community", "GET", "community/work-orders",
                                                 params={"open": "true", "limit": 200}).json()["items"]}
    devices = platform.api("community", "GET", "community/devices", params={"limit": 200}).json()["items"]
    free = [d["id"] for d in devices if d["id"] not in busy and d["status"] == "active"]
    if free:
        return free[0]
    household = platform.api("community", "POST", "community/households", json={
        "label": "振宁3幢2单元301", "address": "宁围街道振宁社区3幢2单元301", "community_code": "330109005001"})
    assert household.status_code == 201, household.text
    kit = platform.api("community", "POST", f"community/households/{household.json()['id']}/kit", json={
        "vendor_code": "anju", "devices": [{"type": "smoke", "serial_no": f"SM-{uuid.uuid4().hex[:8]}"}]})
    assert kit.status_code == 201, kit.text
    return kit.json()[0]["id"]


def test_an_alert_posted_through_the_api_appears_live_and_is_closed_from_the_board(open_console, platform, shot):
    device = demo_device(platform)
    page = open_console("community", route="#/board")
    expect(page.locator("[data-testid=live-state]")).to_have_attribute("data-state", "open")  # SSE, not polling

    posted = platform.api("community", "POST", f"community/devices/{device}/alerts", json={"kind": "alarm"},
                          headers={"Idempotency-Key": uuid.uuid4().hex})
    assert posted.status_code in (200, 201), posted.text
    assert posted.json()["opened_work_order"], posted.json()
    order_id = posted.json()["work_order_id"]
    card = page.locator(f"[data-order='{order_id}']")
    expect(card).to_be_visible()  # no reload: the stream brought it
    expect(page.locator("[data-testid=feed] li").first).to_contain_text("告警")
    expect(card).to_have_attribute("data-status", "raised")
    expect(page.locator(f"[data-lane=raised] [data-order='{order_id}']")).to_be_visible()
    shot(page, "board-new-alert")

    card.locator("[data-action=acknowledge]").click()
    expect(card).to_have_attribute("data-status", "acknowledged")
    card.locator("input[name=responder]").fill("grid-worker-zhang")
    card.locator("[data-action=dispatch]").click()
    expect(card).to_have_attribute("data-status", "dispatched")
    card.locator("[data-action=arrive]").click()
    expect(card).to_have_attribute("data-status", "on_site")
    card.locator("select[name=resolution]").select_option("handled")
    card.locator("[data-action=resolve]").click()
    expect(page.locator(f"[data-lane=resolved] [data-order='{order_id}']")).to_be_visible()
    shot(page, "board-resolved")

    order = platform.api("auditor", "GET", f"community/work-orders/{order_id}").json()
    assert order["status"] == "resolved" and order["resolution"] == "handled"
    assert order["responder"] == "grid-worker-zhang"
    assert [s["to_status"] for s in order["steps"]][-3:] == ["dispatched", "on_site", "resolved"]

    # The review closes the loop, by someone other than the resolver: the order leaves the board.
    reviewer = open_console("admin", route="#/board")
    reviewed = reviewer.locator(f"[data-order='{order_id}']")
    reviewed.locator("select[name=rating]").select_option("4")
    reviewed.locator("[data-action=review]").click()
    expect(reviewed).to_have_count(0)
    expect(page.locator(f"[data-order='{order_id}']")).to_have_count(0)  # the first board heard it live
    assert platform.api("auditor", "GET", f"community/work-orders/{order_id}").json()["status"] == "reviewed"


def test_the_board_resumes_its_stream_and_misses_nothing(open_console, platform):
    page = open_console("community", route="#/board")
    expect(page.locator("[data-testid=live-state]")).to_have_attribute("data-state", "open")
    device = demo_device(platform)
    first = platform.api("community", "POST", f"community/devices/{device}/alerts", json={"kind": "alarm"},
                         headers={"Idempotency-Key": uuid.uuid4().hex}).json()
    expect(page.locator(f"[data-order='{first['work_order_id']}']")).to_be_visible()
    # The service ends each stream after FEED_STREAM_SECONDS; the board reconnects from the last event it saw.
    with page.expect_request(lambda r: "/feed/stream" in r.url and r.headers.get("last-event-id"), timeout=20_000):
        pass
    expect(page.locator("[data-testid=live-state]")).to_have_attribute("data-state", "open")
    platform.api("community", "POST", f"community/work-orders/{first['work_order_id']}/acknowledge", json={})
    expect(page.locator(f"[data-order='{first['work_order_id']}']")).to_have_attribute("data-status", "acknowledged")


def test_an_auditor_watches_the_board_but_cannot_act(open_console):
    page = open_console("auditor", route="#/board")
    expect(page.locator("[data-testid=live-state]")).to_have_attribute("data-state", "open")
    expect(page.locator("[data-testid=board]")).to_be_visible()
    assert page.locator("[data-action]").count() == 0


def test_worklist_rows_open_their_records(open_console, platform, shot):
    overdue = platform.api("doctor", "GET", "chronic-care/follow-ups/overdue", params={"limit": 50}).json()["items"]
    assert overdue, "the demo data has overdue chronic-care follow-ups"
    page = open_console("doctor", route="#/worklists")
    rows = page.locator("[data-testid=worklist-care-follow-ups] tbody tr")
    expect(rows).to_have_count(len(overdue))
    expect(rows.first).to_contain_text(overdue[0]["patient_name"])
    shot(page, "worklist-doctor")
    rows.first.locator("a").click()
    expect(page).to_have_url(re.compile(f"#/record/patient/{overdue[0]['follow_up']['patient_id']}$"))
    expect(page.locator("[data-testid=record]")).to_contain_text(overdue[0]["patient_name"])
    expect(page.locator("[data-testid=record]")).to_contain_text("健康时间线")
    shot(page, "record-patient")
    # ID number and phone arrive masked; the doctor reveals the phone with a reason, and that is audited.
    record = page.locator("[data-testid=record]")
    expect(record.locator(".masked-value[data-field=id_number]")).to_contain_text("*")
    record.get_by_role("button", name="查看完整电话").click()
    record.get_by_role("button", name="确认查看").click()
    expect(record.locator(".revealed-value[data-field=phone]")).to_have_text(re.compile(r"^[0-9+\-]{5,20}$"))
    shot(page, "record-patient-revealed")
    patient_id = overdue[0]["follow_up"]["patient_id"]
    ref = platform.api("doctor", "GET", f"chronic-care/patients/{patient_id}").json()["person_ref"]
    log = platform.api("auditor", "GET", "chronic-care/audit", params={"person_ref": ref, "action": "reveal"})
    assert [(e["fields"], e["reason"]) for e in log.json()["items"]] == [("phone", "电话随访")]

    awaiting = platform.api("renovation", "GET", "renovation/projects", params={"status": "completed"}).json()["items"]
    page = open_console("renovation", route="#/worklists/acceptance")
    rows = page.locator("[data-testid=worklist-acceptance] tbody tr")
    expect(rows).to_have_count(len(awaiting))
    if awaiting:
        rows.first.click()
        expect(page.locator("[data-testid=record]")).to_contain_text(awaiting[0]["name"])
        expect(page.locator("[data-testid=record]")).to_contain_text("验收")


def test_the_jobs_worklist_pages_on_and_opens_the_seeker(open_console, platform):
    first = platform.api("jobs", "GET", "jobs/worklist/follow-ups",
                         params={"overdue_only": "true", "limit": 50}).json()
    assert first["items"], "the demo data has overdue follow-ups after placement"
    page = open_console("jobs", route="#/worklists/jobs-follow-ups")
    rows = page.locator("[data-testid=worklist-jobs-follow-ups] tbody tr")
    expect(rows).to_have_count(len(first["items"]))
    expect(rows.first).to_contain_text(first["items"][0]["seeker_name"])
    if first["next_cursor"]:
        page.get_by_role("button", name="加载更多").click()
        expect(rows).to_have_count(len(first["items"]) + min(50, len(first["items"])))
    rows.first.locator("a").click()
    expect(page.locator("[data-testid=record]")).to_contain_text(first["items"][0]["seeker_name"])
    expect(page.locator("[data-testid=record]")).to_contain_text("就业与跟踪回访")


def test_a_home_visit_task_is_listed_and_opens_with_its_resident(open_console, platform, shot):
    residents = platform.api("community", "GET", "community/residents", params={"limit": 1}).json()["items"]
    if not residents:
        demo_device(platform)
        household = platform.api("community", "GET", "community/households", params={"limit": 1}).json()["items"][0]
        member = platform.api("community", "POST", f"community/households/{household['id']}/members", json={
            "id_number": "330109195104120288", "name": "王秀英", "lives_alone": True})
        assert member.status_code == 201, member.text
        residents = [member.json()]
    visit = platform.api("community", "POST", "community/visits", json={
        "resident_id": residents[0]["id"], "reason": "staff_request", "priority": "critical"})
    assert visit.status_code == 201, visit.text
    page = open_console("community", route="#/worklists/home-visits")
    row = page.locator("[data-testid=worklist-home-visits] tbody tr").filter(has=page.locator(
        f"a[href='#/record/visit/{visit.json()['id']}']"))
    expect(row).to_contain_text("紧急")
    shot(page, "worklist-home-visits")
    row.locator("a").click()
    record = page.locator("[data-testid=record]")
    expect(record).to_contain_text(residents[0]["name"])
    expect(record).to_contain_text("社工安排")
    page.locator("select[name=outcome]").select_option("visited")
    page.get_by_role("button", name="完成探访").click()
    expect(page).to_have_url(re.compile(r"#/worklists/home-visits$"))
    expect(page.locator(f"a[href='#/record/visit/{visit.json()['id']}']")).to_have_count(0)
    done = platform.api("auditor", "GET", f"community/visits/{visit.json()['id']}").json()
    assert done["status"] == "done" and done["outcome"] == "visited"


def test_a_resident_sees_only_their_own_page_and_no_staff_page(open_console, platform, shot):
    assert platform.api("resident", "GET", "dashboard/overview").status_code == 403
    page = open_console("resident")
    expect(page).to_have_url(re.compile(r"#/mine$"))
    expect(page.locator(".nav a")).to_have_text(["我的服务"])
    expect(page.locator("[data-testid=mine]")).to_be_visible()
    staff_calls = []
    page.on("request", lambda r: staff_calls.append(r.url) if re.search(
        r"/api/v1/(dashboard|community/(work-orders|feed|visits)|chronic-care/follow-ups|jobs/worklist)", r.url)
        else None)
    for route in STAFF_ROUTES:
        page.goto(f"{platform.url}/console/{route}")
        expect(page.locator("[data-testid=denied]")).to_be_visible()
        expect(page.locator("[data-testid=overview], [data-testid=board], table.list")).to_have_count(0)
    assert staff_calls == [], staff_calls
    shot(page, "resident-denied")


def test_phone_sized_screen(open_console, shot):
    page = open_console("admin", viewport=PHONE)
    cards = page.locator(".area-card[data-status=ok]")
    expect(cards).to_have_count(4)
    expect(page.locator("[data-testid=trend-chronic-care] svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    lefts = {round(cards.nth(i).bounding_box()["x"]) for i in range(4)}
    assert len(lefts) == 1, "one column on a phone"
    shot(page, "overview-phone")
    page.goto(page.url.split("#")[0] + "#/board")
    expect(page.locator("[data-testid=live-state]")).to_have_attribute("data-state", "open")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "board-phone")


def test_wall_sized_screen(open_console, shot):
    page = open_console("admin", viewport=WALL)
    cards = page.locator(".area-card[data-status=ok]")
    expect(cards).to_have_count(4)
    tops = {round(cards.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(tops) == 1, "the four areas side by side on a wall"
    expect(page.locator("[data-testid=trend-chronic-care] svg")).to_be_visible()
    expect(page.locator("[data-testid=overview-live]")).to_have_attribute("data-state", "open")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "overview-wall")


def test_an_area_that_is_down_is_marked_and_the_others_still_show(open_console, platform, shot):
    platform.apps["jobs"].kill()  # last test of the module: the platform is torn down after it
    page = open_console("admin", viewport=DESK)
    jobs = page.locator(".area-card[data-area=jobs]")
    expect(jobs).to_have_attribute("data-status", "unavailable")
    expect(jobs.locator("[data-testid=area-status]")).to_have_text("暂不可用")
    for area in ("renovation", "community", "chronic-care"):
        expect(page.locator(f".area-card[data-area={area}]")).to_have_attribute("data-status", "ok")
    shot(page, "overview-area-down")
