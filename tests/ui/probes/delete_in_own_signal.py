"""The pattern of the original crash, standing alone (run as a script, in its own process).

The training panel used to rebuild its hyper-parameter rows when the new
settings echoed back: ``QFormLayout.removeRow`` deleted the spin box while its
own ``valueChanged`` — fired by Enter — was still being delivered. Typing a
learning rate and pressing Enter killed the app with SIGSEGV. This script
does exactly that with a bare spin box; the harness test expects it to die,
which shows the harness reports a segmentation fault as a failure.
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QFormLayout, QWidget  # noqa: E402

app = QApplication(sys.argv)
panel = QWidget()
form = QFormLayout(panel)


def add_row() -> None:
    box = QDoubleSpinBox(panel)
    box.setKeyboardTracking(False)
    box.valueChanged.connect(rebuild)
    form.addRow("learning_rate", box)


def rebuild(_value) -> None:
    while form.rowCount():
        form.removeRow(0)  # deletes the spin box now, inside its own signal
    # The panel built the new row at once, and a new spin box often landed in the freed
    # memory, hiding the bug for a while; built a moment later, the dangling pointer stays
    # dangling and the crash is certain (with MALLOC_PERTURB_ filling freed memory).
    QTimer.singleShot(0, add_row)


add_row()
panel.show()
box = form.itemAt(0, QFormLayout.ItemRole.FieldRole).widget()
for _ in range(20):
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, "0.1")
    QTest.keyClick(box, Qt.Key.Key_Return)
    app.processEvents()
    app.processEvents()
    box = form.itemAt(0, QFormLayout.ItemRole.FieldRole).widget()
print("survived")
