"""The main window's menus and actions, and the dialogs and windows they open (build, settings, cleanup, help).

A mixin of ``MainWindow``: it uses the window's panes and session and adds no state of its own beyond the actions.
"""

from __future__ import annotations

from app.i18n import N_, tr
from app.qt import QAction, QKeySequence, QMenu, QShortcut, is_alive
from app.sets.actions import SetsActions
from index.records import Hit


class WindowMenus:
    # -- setup --------------------------------------------------------------------------------------------
    def _make_actions(self) -> None:
        self._texts: list[tuple[object, str]] = []  # (action or menu, bokmål text) for retranslate()

        def action(text: str, slot, *keys, checkable=False) -> QAction:
            a = QAction(self)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.setCheckable(checkable)
            a.triggered.connect(slot)
            self.addAction(a)
            self._texts.append((a, text))
            return a

        self.act_build = action(N_("Bygg indeks …"), self.on_build_index, "Ctrl+B")
        self.act_settings = action(N_("Innstillinger …"), self.on_settings, QKeySequence.StandardKey.Preferences)
        self.act_quit = action(N_("Avslutt"), self.close, QKeySequence.StandardKey.Quit)
        self.act_focus = action(N_("Søkefeltet"), self.focus_search, "Ctrl+K", "F3", "Ctrl+L")
        self.act_find = action(N_("Finn i dokumentet"), self.on_find, QKeySequence.StandardKey.Find)
        self.act_back = action(N_("Tilbake"), self.go_back, "Alt+Left")
        self.act_forward = action(N_("Fremover"), self.go_forward, "Alt+Right")
        self.act_zoom_in = action(N_("Større tekst"), lambda: self.document.zoom(+1), "Ctrl++", "Ctrl+=")
        self.act_zoom_out = action(N_("Mindre tekst"), lambda: self.document.zoom(-1), "Ctrl+-")
        self.act_zoom_reset = action(N_("Normal tekststørrelse"), lambda: self.document.zoom(0), "Ctrl+0")
        self.act_tablet = action(N_("Nettbrettmodus"), self.on_tablet_toggled, checkable=True)
        self.act_about = action(N_("Om Kildefinner"), self.on_about)
        self.act_help = action(N_("Hurtigtaster og søkeprefiks"), self.on_help, "F1")
        self.act_cleanup = action(N_("Rydding …"), self.on_cleanup, "Ctrl+Shift+R")
        # "/" focuses the search field from anywhere except a text field (where it is just a character).
        self.slash = QShortcut(QKeySequence("/"), self)
        self.slash.activated.connect(self.focus_search)
        menus = ((N_("&Fil"), [self.act_build, self.act_settings, None, self.act_quit]),
                 (N_("&Vis"), [self.act_tablet, self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset]),
                 (N_("&Gå"), [self.act_focus, self.act_find, self.act_back, self.act_forward]),
                 (N_("Verk&tøy"), [self.act_cleanup]),
                 (N_("&Hjelp"), [self.act_help, self.act_about]))
        for title, actions in menus:
            menu = self.menuBar().addMenu("")
            for a in actions:
                menu.addSeparator() if a is None else menu.addAction(a)
            self._texts.append((menu, title))
        self.menu_file = self.menuBar().actions()[0].menu()
        self.sets_actions = SetsActions(host=self.sets, editor=self.sets.editor, files=self.sets.files, window=self,
                                        target=self.set_target)
        self.sets_actions.show_requested.connect(self.show_sets)
        self.menuBar().insertMenu(self.menuBar().actions()[-1], self.sets_actions.menu)
        self.results.menu_requested.connect(self.on_hit_menu)
        self.document.star_requested.connect(self.sets_actions.popup)
        self.document_shown.connect(self.on_star_state)

    def on_build_index(self) -> None:
        from app.window.build_dialog import BuildDialog

        if self.status.building:
            self.status.showMessage(tr("En indeks bygges allerede; se fremdriften nederst i vinduet."), 8000)
            return
        BuildDialog(parent=self, config=self.config, session=self.session).open()

    def on_settings(self) -> None:
        from app.window.settings_dialog import SettingsDialog

        dialog = SettingsDialog(parent=self, config=self.config)
        dialog.accepted.connect(lambda: self.on_settings_saved(dialog.changed))
        dialog.open()

    def on_settings_saved(self, changed: set[str]) -> None:
        if changed & {"language", "tablet_mode", "font_scale"}:
            self.apply_config()
        if "index_dir" in changed:
            self.status.set_opening()
            self.session.reopen(self.config.get("index_dir") or None)
        if changed & {"model_path", "semantic"}:
            self.status.showMessage(tr("Endringer i språkmodellen brukes fra neste oppstart."), 8000)

    def on_tablet_toggled(self, on: bool) -> None:
        self.config.set_user("tablet_mode", "on" if on else "off")
        self.config.save()
        self.apply_config()

    def on_hit_menu(self, hit: Hit, at) -> QMenu | None:
        """A hit's context menu: open the VAR procedure it overlaps (or the copy it repeats), then the sets."""
        menu = self.sets_actions.add_menu(hit) if self.sets.store is not None else QMenu(self)
        if hit.overlaps_id:
            label = (tr("Åpne nyere kopi: {title}", title=hit.overlaps_title) if hit.overlap_kind == "duplicate"
                     else tr("Åpne VAR-prosedyren: {title}", title=hit.overlaps_title))
            first = menu.actions()[0] if menu.actions() else None
            menu.insertAction(first, QAction(label, menu, triggered=lambda: self.open_doc_id(hit.overlaps_id)))
            if first is not None:
                menu.insertSeparator(first)
        if not menu.actions():
            return None
        menu.popup(at)
        return menu

    def on_cleanup(self) -> None:
        """The procedure team's cleanup view (one window, raised if already open)."""
        from app.cleanup.view import CleanupView

        view = self.cleanup
        if view is None or not is_alive(view):
            view = self.cleanup = CleanupView(session=self.session, parent=self)
            view.open_requested.connect(self.open_doc_id)
            self.session.engine_changed.connect(view.load)
        view.load()
        view.show()
        view.raise_()

    def on_about(self) -> None:
        from app.help import show_about

        show_about(self)

    def on_help(self):
        from app.help import show_help

        return show_help(self, list(dict.fromkeys([*self.actions(), *self.sets_actions.menu.actions()])))
