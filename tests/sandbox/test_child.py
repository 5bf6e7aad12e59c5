"""grader.sandbox.child: the program run inside the sandbox keeps only what defines things of a student's cells."""
import textwrap

from grader.sandbox import child


def test_definitions_keep_only_what_defines_things():
    source = textwrap.dedent("""
        import numpy as np
        from math import pi
        EPS = 1e-12
        act = lambda z: np.tanh(z)
        X = np.random.randn(3)
        print("training")
        def f(x):
            return x
        class C:
            pass
        for i in range(3):
            pass
        """)
    kept, dropped = child.definitions(source)
    assert [type(n).__name__ for n in kept] == ["Import", "ImportFrom", "Assign", "Assign", "FunctionDef", "ClassDef"]
    assert dropped == 3

