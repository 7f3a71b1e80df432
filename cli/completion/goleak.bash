# bash completion for goleak: commands, the options of each, the formats
# of --format, rule ids (from `goleak rules`) for --rules, --disable and
# explain, git refs for --new-from-rev, files elsewhere. Installed as
# share/bash-completion/completions/goleak; or source it from ~/.bashrc.

_goleak_rule_ids() {
    local id rest
    "${COMP_WORDS[0]}" rules 2>/dev/null | while read -r id rest; do printf '%s\n' "$id"; done
}

_goleak() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="scan rules explain test validate config tokens dump"
    local formats="text jsonl json sarif rdjsonl checkstyle github gcc html"
    local packs="--pack --native-pack --no-default-packs --config --no-config"
    local scan="--format --rules --disable --option --go-version --jobs --exclude
        --include-vendor --include-testdata --report-unused-ignores --max-file-size
        --max-tokens --max-depth $packs --time --baseline --write-baseline --new-from-rev
        --new-from-patch --stdin-filename --exit-zero --quiet --help"
    local cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        scan | rules | explain | test | validate | config | tokens | dump)
            cmd=${COMP_WORDS[i]}
            break
            ;;
        esac
    done
    COMPREPLY=()
    case $prev in
    --format)
        COMPREPLY=($(compgen -W "$formats" -- "$cur"))
        return
        ;;
    --rules | --disable)
        local done=""
        [[ $cur == *,* ]] && done=${cur%,*},
        COMPREPLY=($(compgen -P "$done" -W "all $(_goleak_rule_ids)" -- "${cur##*,}"))
        return
        ;;
    --new-from-rev)
        COMPREPLY=($(compgen -W "HEAD $(git for-each-ref --format='%(refname:short)' 2>/dev/null)" -- "$cur"))
        return
        ;;
    --baseline | --write-baseline | --new-from-patch | --pack | --native-pack | --config | --stdin-filename)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --option | --go-version | --jobs | --exclude | --max-file-size | --max-tokens | --max-depth)
        return
        ;;
    esac
    case $cmd in
    "" | scan)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$scan --version" -- "$cur"))
        elif [[ -z $cmd ]]; then
            COMPREPLY=($(compgen -W "$commands" -- "$cur") $(compgen -f -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        ;;
    explain) COMPREPLY=($(compgen -W "$(_goleak_rule_ids) $packs" -- "$cur")) ;;
    rules) COMPREPLY=($(compgen -W "--json $packs" -- "$cur")) ;;
    config) [[ $cur == -* ]] && COMPREPLY=($(compgen -W "$packs" -- "$cur")) ;;
    tokens) [[ $cur == -* ]] && COMPREPLY=($(compgen -W "--comments" -- "$cur")) ;;
    dump) [[ $cur == -* ]] && COMPREPLY=($(compgen -W "--skeleton" -- "$cur")) ;;
    esac
}

complete -o default -o bashdefault -F _goleak goleak
