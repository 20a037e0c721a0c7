"""Display: what people see of the kit's tables.

Text and display tables (:mod:`.text`, :mod:`.project`, :mod:`.planning`,
:mod:`.whatif`), the ipywidgets panel (:mod:`.widgets`), plotly figures (:mod:`.plotting`)
and reports rendered to offline HTML (:mod:`.reports`). Everything from outside is escaped
before it reaches HTML, Markdown or a chart label.
"""
