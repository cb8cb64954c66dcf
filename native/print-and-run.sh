# Sourced by build-ios and build-android, which set dry_run=0 or 1 before calling run.

# Prints a command so it can be read and pasted, then runs it unless this is a dry run. Plain
# words print bare; dry-run placeholders ($VAR, $(...)) print in double quotes so they expand.
run() {
  local shown=() a
  for a in "$@"; do
    if [[ "$a" =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then
      shown+=("$a")
    elif [ "$dry_run" = 1 ] && [[ "$a" == *'$'* ]] && [[ "$a" != *[\"\\\`]* ]]; then
      shown+=("\"$a\"")
    else
      shown+=("'${a//\'/\'\\\'\'}'")
    fi
  done
  echo "${shown[*]}"
  [ "$dry_run" = 1 ] || "$@"
}
