"""The signed-in member's own pages sit in the header's "My BestQM" menu: open it before
following one of its links, as a person would."""


def open_member_menu(page):
    menu = page.locator("details.account-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return menu
