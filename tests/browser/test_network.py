"""The network picture in a real browser: a picture with groups, a bridge and an area not
reached is axe-clean in English and Spanish and fits a phone's width; the owner lets others
see it with the box on the account settings, and another person then opens it from the
profile."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World, check_axe


def test_a_network_picture_in_the_browser(contexts: Contexts, world: World) -> None:
    owner, visitor = world.person("netowner"), world.person("netvisitor")
    maths, art, far = (world.person(n) for n in ("mathsteacher", "artteacher", "roboteer"))
    colleague = world.person("mathscolleague")
    api = world.api
    owner_token = api.token(owner)
    tag = uuid.uuid4().hex[:6]
    for person in (maths, colleague, art):
        api.call(owner_token, "POST", f"/api/v1/accounts/{person.id}/follow")
    maths_token, colleague_token = api.token(maths), api.token(colleague)
    api.call(maths_token, "POST", f"/api/v1/accounts/{colleague.id}/follow")
    api.call(colleague_token, "POST", f"/api/v1/accounts/{maths.id}/follow")
    api.call(maths_token, "POST", f"/api/v1/accounts/{far.id}/follow")
    api.post(maths_token, f"Fractions with pizza #Maths{tag}")
    api.post(colleague_token, f"Times tables songs #Maths{tag}")
    api.post(api.token(art), f"Colour wheels #Art{tag}")
    api.post(api.token(far), f"Line-following robots #Robots{tag}")

    page = contexts.page(person=owner, bypass_csp=True)
    page.goto(f"/@{owner.username}")
    with page.expect_navigation():
        page.get_by_role("link", name="Network picture").click()
    expect(page.get_by_role("heading", name="Your network picture", level=1)).to_be_visible()
    expect(page.get_by_role("img", name=f"The people @{owner.username} follows")).to_be_visible()
    groups = page.get_by_role("table", name="Each group")
    expect(groups.get_by_role("link", name=f"#Maths{tag}")).to_be_visible()
    bridges = page.get_by_role("table", name="People followed here who follow")
    expect(bridges.get_by_role("link", name=f"#Robots{tag}")).to_be_visible()
    areas = page.get_by_role("table", name="Hashtags near this network")
    expect(areas.get_by_role("link", name=f"#Robots{tag}")).to_be_visible()
    check_axe(page)

    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    check_axe(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Change who can see it").click()
    page.get_by_label("Let others see my network picture").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save preferences").click()

    spanish = contexts.page(person=visitor, lang="es", bypass_csp=True)
    spanish.goto(f"/@{owner.username}")
    with spanish.expect_navigation():
        spanish.get_by_role("link", name="Mapa de contactos").click()
    expect(spanish.get_by_role("heading", level=1)).to_contain_text("Mapa de contactos")
    expect(spanish.get_by_role("link", name=f"#Robots{tag}").first).to_be_visible()
    check_axe(spanish)
