# long_functions.awk: lists the C functions longer than max lines (80
# unless -v max=N), longest first after sort -rn, for issue 14's "no
# production function over ~80 lines where a split reads better":
#
#	awk -f tests/long_functions.awk src/*/*.c | sort -rn
#
# It relies on the project's style (style(9)): the function's name starts
# its line and the body opens and closes with a brace in column 1.  The
# count runs from the name's line to the closing brace.
BEGIN { if (max == "") max = 80 }
FNR == 1 { name = ""; start = 0 }
/^[A-Za-z_][A-Za-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name); nl = FNR }
/^\{/ && name != "" { start = nl }
/^\}/ && start > 0 {
	n = FNR - start + 1
	if (n > max)
		printf "%5d %s:%d %s\n", n, FILENAME, start, name
	start = 0
	name = ""
}
