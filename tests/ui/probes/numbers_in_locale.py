"""Every number field of both windows under the system locale given by LC_ALL; print what they show.

Run as a script in its own process (tests/ui/test_locale_numbers.py). Prints one JSON line.
"""

import json
import sys
import tempfile

from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QMessageBox, QProgressBar

app = QApplication(sys.argv[:1])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
# QSettings(org, app) uses the native format whatever the default: isolate both, or every
# test shares ~/.config/Propscope/Propscope.conf with any other process using it.
for settings_format in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
    QSettings.setPath(settings_format, QSettings.Scope.UserScope, tempfile.mkdtemp())
QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
from app.window import MainWindow  # noqa: E402

window = MainWindow()
window.show()
panel = window.training_panel
for index in range(panel.optimizer.count()):  # every optimizer's fields, with non-integer values
    panel.optimizer.setCurrentIndex(index)
    panel.optimizer.activated.emit(index)
fields = window.findChildren(QAbstractSpinBox) + window.open_compare().findChildren(QAbstractSpinBox)
for _ in range(12):
    window.controller.step_batch()
window.training_panel.hyper_widgets["learning_rate"].setValue(1234.5)  # above the maximum: shows 1000
texts = sorted({f.text() for f in fields if f.text()})
bars = [bar.text() for bar in window.findChildren(QProgressBar)]
print(json.dumps({"system_decimal_point": QLocale.system().decimalPoint(), "fields": texts, "progress": bars,
                  "status": window.status_label.text(), "locales": sorted({f.locale().name() for f in fields})}))
window.close()
