# Redrawn by `dotnet run -c Release --project benchmarks/EntraSync.Benchmarks.EndToEnd -- sweep` from benchmarks-end-to-end.dat.
set terminal pngcairo size 1200,480 font "DejaVu Sans,10"
set output "benchmarks-end-to-end.png"
set multiplot layout 1,2 title "Full sync against users: EntraSync vs. the hand-written baseline (Graph emulator in process, 0 ms latency)"
set logscale xy
set grid
set key bottom right
set xlabel "users"
set format x "%.0s%c"
set ylabel "wall time (s)"
set title "Wall time"
plot "benchmarks-end-to-end.dat" using 1:4 with linespoints lw 2 pt 7 title "baseline (typed SDK + PageIterator, EF Core per page)", \
     "" using 1:2 with linespoints lw 2 pt 5 title "EntraSync (in-memory store)"
set ylabel "peak managed heap growth (MB)"
set title "Memory"
plot "benchmarks-end-to-end.dat" using 1:5 with linespoints lw 2 pt 7 title "baseline", \
     "" using 1:3 with linespoints lw 2 pt 5 title "EntraSync (in-memory store, holds the employees)", \
     "" using 1:6 with linespoints lw 2 pt 9 title "EntraSync engine + source (store keeps nobody)", \
     "" using 1:9 with linespoints lw 2 pt 11 title "EntraSync engine + source, live at the end of the read"
unset multiplot
