"""Till → Open shift: the cashier's name. (Close shift shows the shift report: report_window.)"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class OpenShiftDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, last_name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("openShiftDialog")
        self.setWindowTitle(self.tr("Open shift"))
        self.name_edit = QLineEdit(last_name, self)
        self.name_edit.setObjectName("cashierNameEdit")
        self.name_edit.setMaxLength(40)
        self.name_edit.setPlaceholderText(self.tr("e.g. Neema"))
        self.problem = QLabel(self)
        self.problem.setObjectName("openShiftProblem")
        self.problem.setStyleSheet("color:#c5221f;")
        self.problem.setVisible(False)
        form = QFormLayout()
        label = QLabel(self.tr("Cashier's &name"), self)
        label.setBuddy(self.name_edit)
        form.addRow(label, self.name_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(self.tr("Open shift"))
        ok.setObjectName("openShiftButton")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Every payment from now on records this name until the shift is closed."), self))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    @property
    def cashier(self) -> str:
        return " ".join(self.name_edit.text().split())

    def _accept(self) -> None:
        if not self.cashier:
            self.problem.setText(self.tr("Type the cashier's name."))
            self.problem.setVisible(True)
            self.name_edit.setFocus()
            return
        self.accept()
