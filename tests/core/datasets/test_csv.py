"""CSV/TSV loading: sniffing, label columns, class names and precise errors."""

import numpy as np
import pytest

from core.datasets import EmptyFileError, FormatError, NonFiniteError, ParseError, load_csv, load_file


def write(tmp_path, text, name="data.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_header_and_string_labels_become_class_names(tmp_path):
    p = write(tmp_path, "sepal_length,sepal_width,species\n5.1,3.5,setosa\n4.9,3.0,setosa\n"
                        "6.3,3.3,virginica\n5.8,2.7,versicolor\n")
    ds = load_file(p)
    np.testing.assert_allclose(ds.x, [[5.1, 3.5], [4.9, 3.0], [6.3, 3.3], [5.8, 2.7]])
    assert ds.class_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(ds.y, [0, 0, 2, 1])
    assert ds.feature_names == ("sepal_length", "sepal_width") and ds.task == "classification"


def test_headerless_numeric_file_with_integer_labels(tmp_path):
    ds = load_file(write(tmp_path, "0,0,0\n0,1,1\n1,0,1\n1,1,0\n"))
    assert ds.x.shape == (4, 2) and ds.task == "binary" and ds.class_names == ("0", "1")
    np.testing.assert_array_equal(ds.y, [0, 1, 1, 0])
    assert ds.feature_names == ("x1", "x2")


@pytest.mark.parametrize("sep,name", [(";", "a.csv"), ("\t", "a.tsv"), ("|", "a.csv"), ("\t", "a.txt")])
def test_delimiters_are_sniffed(tmp_path, sep, name):
    text = sep.join(["f1", "f2", "target"]) + "\n" + "\n".join(
        sep.join([str(i), str(i * 2), str(i % 3)]) for i in range(6)) + "\n"
    ds = load_file(write(tmp_path, text, name))
    assert ds.x.shape == (6, 2) and ds.num_classes == 3


def test_whitespace_separated_columns(tmp_path):
    ds = load_file(write(tmp_path, "1.0  2.0  0\n3.0 4.0 1\n5  6  1\n", "a.txt"))
    np.testing.assert_allclose(ds.x, [[1, 2], [3, 4], [5, 6]])


def test_label_column_by_name_index_and_default_label_name(tmp_path):
    p = write(tmp_path, "label,p0,p1\n3,0.1,0.2\n7,0.3,0.4\n")
    ds = load_file(p)  # a column named "label" wins over "last column" (Kaggle MNIST CSVs)
    assert ds.class_names == ("3", "7")  # codes not starting at 0 keep their values as names
    np.testing.assert_array_equal(ds.y, [0, 1])
    np.testing.assert_allclose(ds.x, [[0.1, 0.2], [0.3, 0.4]])
    by_name = load_csv(p, label_column="p1", task="regression")
    np.testing.assert_allclose(by_name.y, [0.2, 0.4])
    by_index = load_csv(p, label_column=-2, task="regression")
    np.testing.assert_allclose(by_index.y, [0.1, 0.3], rtol=1e-6)
    with pytest.raises(ParseError, match="no column named 'nope'; the columns are label, p0, p1"):
        load_csv(p, label_column="nope")
    with pytest.raises(ParseError, match="label column 5 does not exist: the file has 3 columns"):
        load_csv(p, label_column=5)


def test_float_labels_mean_regression(tmp_path):
    ds = load_file(write(tmp_path, "x,y\n1,0.5\n2,1.25\n3,2.0\n"))
    assert ds.task == "regression" and ds.y.dtype == np.float32
    np.testing.assert_allclose(ds.y, [0.5, 1.25, 2.0])


def test_minus_one_plus_one_labels_map_to_classes(tmp_path):
    ds = load_file(write(tmp_path, "1,2,-1\n3,4,1\n5,6,-1\n"))
    assert ds.class_names == ("-1", "1")
    np.testing.assert_array_equal(ds.y, [0, 1, 0])


def test_ragged_row_names_the_line(tmp_path):
    p = write(tmp_path, "a,b,c\n1,2,0\n3,4,1\n5,6\n7,8,1\n")
    with pytest.raises(ParseError, match=r"data.csv, line 4: this row has 2 cells but the file has 3 columns"):
        load_file(p)


def test_non_numeric_cell_names_line_and_column(tmp_path):
    p = write(tmp_path, "a,b,label\n1,2,0\n3,abc,1\n")
    with pytest.raises(ParseError, match=r"line 3, column 2: 'abc' in column 'b' is not a number"):
        load_file(p)


def test_empty_cell_is_a_missing_value(tmp_path):
    p = write(tmp_path, "a,b,label\n1,2,0\n3,,1\n")
    with pytest.raises(ParseError, match=r"line 3, column 2: empty cell in column 'b' \(a missing value\)"):
        load_file(p)


def test_nan_and_inf_are_counted_and_can_be_dropped(tmp_path):
    p = write(tmp_path, "a,b,label\n1,2,0\nnan,4,1\n5,inf,0\n7,8,1\n")
    with pytest.raises(NonFiniteError, match=r"2 row\(s\) contain NaN or Inf.* \(first at line 3\)") as info:
        load_file(p)
    assert info.value.count == 2
    ds = load_file(p, drop_nonfinite=True)
    np.testing.assert_allclose(ds.x, [[1, 2], [7, 8]])
    assert ds.meta["dropped_nonfinite"] == 2


def test_empty_and_header_only_files(tmp_path):
    with pytest.raises(EmptyFileError, match="data.csv: the file is empty"):
        load_file(write(tmp_path, ""))
    with pytest.raises(EmptyFileError, match="no data rows"):
        load_file(write(tmp_path, "\n\n# just a comment\n"))
    with pytest.raises(EmptyFileError, match="header but no data rows"):
        load_file(write(tmp_path, "a,b,label\n"))


def test_single_column_cannot_be_features_and_label(tmp_path):
    with pytest.raises(ParseError, match="at least one feature and a label"):
        load_file(write(tmp_path, "1\n2\n3\n"))


def test_binary_file_with_csv_name(tmp_path):
    p = tmp_path / "data.csv"
    p.write_bytes(b"1,2\x00\x01\x02")
    with pytest.raises(FormatError, match="byte 3: this is binary data"):
        load_file(p)


def test_korean_excel_export_in_cp949_and_utf8_bom(tmp_path):
    text = "키,몸무게,성별\n170,65,남\n160,50,여\n175,70,남\n"
    for encoding, name in (("cp949", "a.csv"), ("utf-8-sig", "b.csv")):
        ds = load_file(write(tmp_path, text, name, encoding))
        assert ds.feature_names == ("키", "몸무게") and ds.class_names == ("남", "여")


def test_quoted_cells(tmp_path):
    ds = load_file(write(tmp_path, 'a,b,kind\n1,2,"red, dark"\n3,4,"blue"\n'))
    assert ds.class_names == ("blue", "red, dark")


def test_mnist_style_csv_becomes_images(tmp_path):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (3, 784))
    header = "label," + ",".join(f"pixel{i}" for i in range(784))
    rows = "\n".join(f"{k}," + ",".join(map(str, pixels[k])) for k in range(3))
    ds = load_file(write(tmp_path, header + "\n" + rows + "\n"))
    assert ds.input_shape == (28, 28)
    np.testing.assert_array_equal(ds.x.reshape(3, -1), pixels)
    np.testing.assert_array_equal(ds.y, [0, 1, 2])


def test_real_world_shapes_iris_quoted_wine_semicolons_trailing_commas(tmp_path):
    iris = load_file(write(tmp_path, '"sepal.length","sepal.width","variety"\n5.1,3.5,"Setosa"\n'
                                     '7,3.2,"Versicolor"\n6.3,3.3,"Virginica"\n', "iris.csv"))
    assert iris.class_names == ("Setosa", "Versicolor", "Virginica") and iris.x.shape == (3, 2)
    wine = load_file(write(tmp_path, '"fixed acidity";"pH";"quality"\n7.4;3.51;5\n7.8;3.2;6\n7.8;3.26;5\n'
                                     '11.2;3.16;7\n', "wine.csv"))
    assert wine.class_names == ("5", "6", "7")  # quality 5..7: classes named by their values
    np.testing.assert_array_equal(wine.y, [0, 1, 0, 2])
    trailing = load_file(write(tmp_path, "a,b,label,\n1,2,0,\n3,4,1,\n", "t.csv"))
    assert trailing.x.shape == (2, 2) and trailing.feature_names == ("a", "b")
