import pytest

from writ.domains.common import calculate

CASES = {
    "2+2": "4.0", "10/3": "3.33", "2**3": "8.0", "3//2": "1.0", "-5": "-5.0", "0.1+0.2": "0.3",
    "2.675*1": "2.67", "100000000000000000": "1e+17", "001.5": "1.5", "-0.004": "-0.0",
}
ERRORS = {
    "1/0": "division by zero", "1/0.0": "float division by zero", "1//0": "integer division or modulo by zero",
    "2.5//0": "float floor division by zero", "10**400": "int too large to convert to float",
    "(2.0)**10000": "(34, 'Numerical result out of range')",
    "()": "float() argument must be a string or a real number, not 'tuple'", "(1)(2)": "'int' object is not callable",
    "1+": "invalid syntax (<string>, line 1)", "((1)": "'(' was never closed (<string>, line 1)",
    "9**9**9": "int too large to convert to float", "2 % 3": "Invalid characters in expression",
    "__import__('os').system('x')": "Invalid characters in expression",
}


@pytest.mark.parametrize("expr,expected", CASES.items())
def test_values(expr, expected):
    assert calculate(None, expr) == expected


@pytest.mark.parametrize("expr,message", ERRORS.items())
def test_errors(expr, message):
    with pytest.raises(Exception) as info:
        calculate(None, expr)
    assert str(info.value) == message
