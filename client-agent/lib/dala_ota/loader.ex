defmodule DalaOta.Loader do
  @moduledoc """
  Loads a set of modules into the running VM, all or nothing.

  1. Every binary is checked by the loader first (`erlang:prepare_loading/2`, which loads
     nothing). Modules in sticky directories are refused, and so are, as the server and the
     signer refuse them, the agent's own modules (a stolen release key must not replace the
     verifier) and modules of OTP's and Elixir's applications.
  2. Processes named for `code_change` whose module changes are suspended with `sys:suspend/1`.
  3. `code:soft_purge/1` on every module: if a process still runs code that would have to be
     purged, nothing is loaded.
  4. `code:load_binary/3` for every module. If one fails, every module loaded so far gets its
     previous version back (or is removed again if it was not loaded before).
  5. `sys:change_code/4` for each suspended process; a failure restores every module too.
  6. Suspended processes are always resumed.

  The previous version of a module comes from `previous_fun` (the agent passes the bundle it
  runs now) and otherwise from the code path (the base), via `code:get_object_code/1`.
  """

  require Logger

  # Applications that ship with OTP or Elixir. A module one of them holds on this device is
  # never replaced by a bundle; the signer refuses the full list of their modules at build time.
  @runtime_apps [:erts, :kernel, :stdlib, :sasl, :compiler, :crypto, :public_key, :ssl, :inets] ++
                  [:asn1, :runtime_tools, :tools, :xmerl, :syntax_tools, :parsetools, :mnesia] ++
                  [:os_mon, :observer, :debugger, :wx, :et, :eldap, :ftp, :tftp, :ssh, :snmp] ++
                  [:elixir, :logger, :eex, :ex_unit, :iex, :mix]

  @type item :: {module, filename :: charlist, binary}
  @type opts :: [
          code_change: [{atom, module}],
          previous: (module -> {:ok, charlist, binary} | :none)
        ]

  @doc "Loads `items` atomically. Returns `:ok` or `{:error, reason}` with nothing changed."
  @spec load([item], opts) :: :ok | {:error, term}
  def load(items, opts \\ []) do
    modules = Enum.map(items, &elem(&1, 0))
    previous_fun = Keyword.get(opts, :previous, fn _ -> :none end)

    with :ok <- prepare(items),
         {:ok, suspended} <- suspend(Keyword.get(opts, :code_change, []), modules) do
      try do
        with :ok <- soft_purge(modules),
             previous = previous_versions(modules, previous_fun),
             :ok <- load_all(items, previous, []),
             :ok <- change_code(suspended, previous) do
          :ok
        end
      after
        Enum.each(suspended, fn {name, _module, _vsn} -> resume(name) end)
      end
    end
  end

  defp prepare(items) do
    Enum.reduce_while(items, :ok, fn {module, _file, binary}, :ok ->
      cond do
        :code.is_sticky(module) ->
          {:halt, {:error, {:sticky_module, module}}}

        reserved?(module) ->
          {:halt, {:error, {:reserved_module, module}}}

        true ->
          case :erlang.prepare_loading(module, binary) do
            {:error, reason} -> {:halt, {:error, {:bad_module, module, reason}}}
            _prepared -> {:cont, :ok}
          end
      end
    end)
  end

  @doc "Whether a bundle may never replace `module`: the agent's own, OTP's or Elixir's."
  @spec reserved?(module) :: boolean
  def reserved?(module) do
    DalaOta.BundleBuilder.agent_module?(Atom.to_string(module)) or
      :code.which(module) == :preloaded or
      match?({:ok, app} when app in @runtime_apps, :application.get_application(module))
  end

  @doc """
  `reserved?/1` for a module's name as a manifest gives it. A name that is not an atom yet
  names no module on this device, so only the agent's own prefixes can reserve it; no atom
  is created from it.
  """
  @spec reserved_name?(binary) :: boolean
  def reserved_name?(name) when is_binary(name) do
    DalaOta.BundleBuilder.agent_module?(name) or
      case existing_atom(name) do
        nil -> false
        module -> reserved?(module)
      end
  end

  defp existing_atom(name) do
    :erlang.binary_to_existing_atom(name, :utf8)
  rescue
    ArgumentError -> nil
  end

  defp suspend(code_change, modules) do
    targets =
      for {name, module} <- code_change,
          module in modules,
          pid = Process.whereis(name),
          is_pid(pid),
          do: {name, module}

    Enum.reduce_while(targets, {:ok, []}, fn {name, module}, {:ok, acc} ->
      vsn = old_vsn(module)

      try do
        :ok = :sys.suspend(name)
        {:cont, {:ok, [{name, module, vsn} | acc]}}
      catch
        _, reason ->
          Enum.each(acc, fn {n, _, _} -> resume(n) end)
          {:halt, {:error, {:suspend_failed, name, reason}}}
      end
    end)
  end

  defp old_vsn(module) do
    if :erlang.module_loaded(module) do
      case List.keyfind(module.module_info(:attributes), :vsn, 0) do
        {:vsn, vsn} -> vsn
        nil -> :undefined
      end
    else
      :undefined
    end
  rescue
    _ -> :undefined
  end

  defp soft_purge(modules) do
    case Enum.reject(modules, &:code.soft_purge/1) do
      [] -> :ok
      busy -> {:error, {:old_code_in_use, busy}}
    end
  end

  # Whether each module is loaded is noted now; the bytes of a loaded one's version are fetched
  # only when it must be restored, so a load that succeeds (every boot) reads no old code.
  defp previous_versions(modules, previous_fun) do
    for module <- modules do
      if :erlang.module_loaded(module),
        do: {module, {:loaded, fn -> previous_version(module, previous_fun) end}},
        else: {module, :not_loaded}
    end
  end

  defp previous_version(module, previous_fun) do
    case previous_fun.(module) do
      {:ok, _file, _binary} = found ->
        found

      :none ->
        case :code.get_object_code(module) do
          {^module, binary, file} -> {:ok, file, binary}
          :error -> :unknown
        end
    end
  end

  defp load_all([], _previous, _loaded), do: :ok

  defp load_all([{module, file, binary} | rest], previous, loaded) do
    case :code.load_binary(module, file, binary) do
      {:module, ^module} ->
        load_all(rest, previous, [module | loaded])

      {:error, reason} ->
        restore(loaded, previous)
        {:error, {:load_failed, module, reason}}
    end
  end

  defp change_code(suspended, previous) do
    Enum.reduce_while(suspended, :ok, fn {name, module, vsn}, :ok ->
      case safe_change_code(name, module, vsn) do
        :ok ->
          {:cont, :ok}

        {:error, reason} ->
          restore(Enum.map(previous, &elem(&1, 0)), previous)
          {:halt, {:error, {:code_change_failed, name, reason}}}
      end
    end)
  end

  defp safe_change_code(name, module, vsn) do
    case :sys.change_code(name, module, vsn, []) do
      :ok -> :ok
      {:error, reason} -> {:error, reason}
      other -> {:error, other}
    end
  catch
    _, reason -> {:error, reason}
  end

  # The modules in `loaded` hold the new version as current and the previous one as old code.
  defp restore(loaded, previous) do
    for module <- loaded do
      version =
        case List.keyfind(previous, module, 0) do
          {_, {:loaded, fetch}} -> fetch.()
          {_, :not_loaded} -> :not_loaded
          nil -> :unknown
        end

      result =
        case version do
          {:ok, file, binary} ->
            :code.soft_purge(module) and
              match?({:module, _}, :code.load_binary(module, file, binary))

          :not_loaded ->
            :code.soft_purge(module) and :code.delete(module) and :code.soft_purge(module)

          :unknown ->
            false
        end

      unless result do
        Logger.error("dala_ota: could not restore the previous version of #{inspect(module)}")
      end
    end

    :ok
  end

  defp resume(name) do
    :sys.resume(name)
  catch
    _, _ -> :ok
  end
end
