@echo off
rem The main command on Windows, as ./run is elsewhere: builds the jars, then runs the
rem side-by-side comparison (fourways.bench.SideBySide). Needs JAVA_HOME pointing at a JDK 21
rem or newer. Arguments go to SideBySide: run.cmd --full, run.cmd --help. Windows has no
rem taskset: the run is not pinned, and the results say so.
setlocal
cd /d "%~dp0"
if not defined JAVA_HOME (
  echo JAVA_HOME is not set: point it at a JDK 21 or newer. 1>&2
  exit /b 1
)
call mvnw.cmd -q -DskipTests package || exit /b 1
"%JAVA_HOME%\bin\java" -Djava.awt.headless=true --enable-native-access=ALL-UNNAMED -cp benchmarks\target\benchmarks.jar fourways.bench.SideBySide %*
