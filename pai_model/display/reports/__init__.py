"""Reports: parameterized notebooks executed with papermill and rendered to standalone HTML.

A report notebook lives in ``pai_model/display/notebooks/`` and has one cell tagged
``parameters`` of plain
type-hinted literals with a comment each (``hours_per_month: float = 730  # ...``).
:func:`render_report`:

1. checks the parameters given against that cell, as papermill's inspection reads it,
   before any kernel starts (a typo or ``hours_per_month=abc`` fails in milliseconds);
   parameters whose comment starts with "path" are files or folders, resolved against the
   current directory (an empty value means "the default"); a ``catalog`` is validated;
2. executes the notebook with papermill (progress on stderr), with plotly's renderer set to
   ``plotly_mimetype+notebook`` so every chart reaches the HTML with plotly.js inlined
   once, and without widget state;
3. converts it to HTML with the code hidden and nothing fetched from the network, so the
   report opens offline (see :func:`to_html`);
4. writes ``<out>/<stem>.html`` and the executed ``<out>/<stem>.ipynb`` atomically
   (temporary files in ``<out>``, then :func:`os.replace`), where ``<stem>`` is the
   notebook name followed by the parameters that differ from their defaults, a file among
   them named by its stem and a hash of its bytes (see :func:`report_stem`). A failed run
   leaves any earlier report untouched and no partial file.

Whatever ends a run (a failing cell, Ctrl+C, SIGTERM or SIGHUP), the kernel is stopped and
the temporary folder, which also holds the kernel's connection file, is removed; SIGTERM
and SIGHUP then raise :class:`ReportInterrupted`, Ctrl+C :class:`KeyboardInterrupt`.

A notebook that raises becomes one :class:`ReportError` naming the cell and the exception.
"""
