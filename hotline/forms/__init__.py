"""Form fields shared by the three interfaces that take forms: the staff pages, the
citizen portal and Open311. They know no app, so each interface uses them without
reaching into another's package."""
