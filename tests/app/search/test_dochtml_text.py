"""The document view's text clean-up: PDF bullets render, PDF layout line breaks are undone."""

from app.search.dochtml import _body, clean, joined_lines


def test_pdf_bullets_render_as_bullets():
    assert clean("\x7f Reine hanskar\n\uf0b7 Bandasje") == "• Reine hanskar\n• Bandasje"
    assert "\x7f" not in _body("\x7f Reine hanskar", None, "")


def test_layout_line_breaks_are_joined_but_items_stay_apart():
    block = ("Gje eit systematisk sårstell, slik\nat såra gror raskare.\n• Reine hanskar\n• Lunka vatn\n"
             "4. Skyl såret med lunka vatn eller opplæring i\ndet.\n5. Vern huda")
    assert joined_lines(block) == ["Gje eit systematisk sårstell, slik at såra gror raskare.", "• Reine hanskar",
                                   "• Lunka vatn", "4. Skyl såret med lunka vatn eller opplæring i det.",
                                   "5. Vern huda"]
