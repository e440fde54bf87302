# The node image used by docker-compose.yml: the Host published in Release.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Naeural.Host -c Release -o /app

# ASP.NET Core runtime: the node serves its HTTP API and dashboard.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
# ffmpeg: the decoder of the Video source.
RUN apt-get update && apt-get install -y --no-install-recommends libsecp256k1-1 ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
COPY --from=build /src/examples ./examples
VOLUME /data
ENTRYPOINT ["dotnet", "naeural.dll"]
