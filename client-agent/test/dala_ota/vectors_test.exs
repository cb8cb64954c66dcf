defmodule DalaOta.VectorsTest do
  @moduledoc "The agent's verifier against every row of test-vectors/vectors.tsv, on both crypto backends."
  use ExUnit.Case, async: true

  alias DalaOta.{Bundle, Manifest, Test.Vectors, Test.Paths}

  @limits %{
    max_envelope_bytes: 4 * 1024 * 1024,
    max_modules: 10_000,
    max_module_bytes: 32 * 1024 * 1024,
    max_bundle_bytes: 256 * 1024 * 1024
  }

  for backend <- [DalaOta.Crypto.Otp, DalaOta.Crypto.Nif] do
    describe "vectors.tsv with #{inspect(backend)}" do
      if backend == DalaOta.Crypto.Nif, do: @describetag(:nif)

      for [name, file, root, revocations, now, sequence, base, expected] <-
            Vectors.tsv("vectors.tsv") do
        @tag vector: name
        test "#{name} gives #{expected}" do
          backend = unquote(backend)

          trust = %{
            crypto: backend,
            pinned: [Vectors.public_key(unquote(root))],
            now: Vectors.unix(unquote(now)),
            revocation_list:
              if(unquote(revocations) == "-",
                do: nil,
                else: File.read!(Paths.vector(unquote(revocations)))
              )
          }

          device = %{
            floor: String.to_integer(unquote(sequence)),
            now: trust.now,
            base: Vectors.base(unquote(base))
          }

          codes = verdict(unquote(file), trust, device)

          expected =
            if unquote(expected) == "ok", do: [], else: String.split(unquote(expected), ",")

          assert Enum.sort(codes) == Enum.sort(expected)
        end
      end
    end
  end

  defp verdict("manifests/" <> _ = file, trust, device) do
    case Manifest.verify(File.read!(Paths.vector(file)), trust, device) do
      {:ok, %Manifest{sequence: 2}, _} -> []
      {:error, problems} -> Enum.map(problems, &Atom.to_string(Bundle.code(&1)))
    end
  end

  defp verdict("bundles/" <> _ = file, trust, device) do
    case Bundle.verify({:file, Paths.vector(file)}, trust, device, @limits) do
      {:ok, %Manifest{sequence: 2}, _} -> []
      {:error, problems} -> problems |> Enum.map(&Atom.to_string(Bundle.code(&1))) |> Enum.uniq()
    end
  end
end
